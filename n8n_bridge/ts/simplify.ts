import type { IDataObject } from 'n8n-workflow';
import { SIMPLIFY } from './parameters';

/** The fields n8n's "Simplify" keeps for the operation, or null when the operation offers no Simplify. */
export function summaryOf(operationKey: string): string[] | null {
	return Object.prototype.hasOwnProperty.call(SIMPLIFY, operationKey) ? SIMPLIFY[operationKey] : null;
}

/** Each record with only the summary's fields, in the summary's order (a field the record lacks stays absent). */
export function simplified(records: IDataObject[], fields: string[]): IDataObject[] {
	return records.map((record) => {
		const kept: IDataObject = {};
		for (const field of fields) {
			if (Object.prototype.hasOwnProperty.call(record, field)) kept[field] = record[field];
		}
		return kept;
	});
}
