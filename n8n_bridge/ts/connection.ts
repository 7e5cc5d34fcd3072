import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { resolveConnection } from './kernel';
import { DOC } from './document';
import { CONNECTION_FIELDS, CREDENTIAL_TYPE } from './parameters';

/** Whatever n8n context can read this node's credential. */
interface CredentialReader {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/** The kernel's connection from the credential's properties (field values by the spec's keys). */
export async function connectionOf(context: CredentialReader): Promise<ReturnType<typeof resolveConnection>> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const given: { [field: string]: string } = {};
	for (const [field, property] of Object.entries(CONNECTION_FIELDS)) {
		if (credentials[property] !== undefined) given[field] = String(credentials[property]);
	}
	return resolveConnection(DOC, given, { env: {} });
}
