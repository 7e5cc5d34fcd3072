/** Where n8n keeps one input value: a node parameter, or an entry of Additional Fields. */
export interface InputParameter {
	path: string;
	parameter: string;
	additional: boolean;
}
