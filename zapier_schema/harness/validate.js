'use strict';

/*
 * zapier-platform-schema's validateAppDefinition for a definition as a whole, then for each
 * trigger, search, create and search-or-create on its own (a missing sample is caught only there).
 *
 * usage: node validate.js DEFINITION.json   (NODE_PATH: Zapier's packages)
 * prints {"app": [errors], "triggers.new_job": [errors], ...}
 */

const fs = require('fs');

const { validateAppDefinition } = require('zapier-platform-schema');

const SCHEMAS = {
  triggers: require('zapier-platform-schema/lib/schemas/TriggerSchema'),
  searches: require('zapier-platform-schema/lib/schemas/SearchSchema'),
  creates: require('zapier-platform-schema/lib/schemas/CreateSchema'),
  searchOrCreates: require('zapier-platform-schema/lib/schemas/SearchOrCreateSchema'),
};

const messages = (result) => result.errors.map((error) => `${error.property}: ${error.message}`);

const definition = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const report = { app: messages(validateAppDefinition(definition)) };
for (const [section, schema] of Object.entries(SCHEMAS)) {
  for (const [key, entry] of Object.entries(definition[section] || {})) {
    report[`${section}.${key}`] = messages(schema.validate(entry));
  }
}
process.stdout.write(JSON.stringify(report));
