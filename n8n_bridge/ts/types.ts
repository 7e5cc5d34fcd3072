/**
 * Where n8n keeps one input value: a node parameter, or an entry of Additional Fields. Its shape:
 * one value; a list (a fixed collection's entries, each holding the item's own parameters, `items`);
 * or pairs (a fixed collection's entries of `name` and `value`, one key each).
 */
export interface InputParameter {
	path: string;
	parameter: string;
	additional: boolean;
	shape: 'value' | 'list' | 'pairs';
	items?: InputParameter[];
}
