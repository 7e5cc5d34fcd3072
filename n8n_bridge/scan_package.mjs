/*
 * The n8n community package scanner's lint (@n8n/scan-community-package), offline.
 *
 * The scanner downloads a published package and its provenance-attested source, then lints both
 * with one ESLint configuration: the sources (package.json, nodes/, credentials/) and the shipped
 * files (compiled dist/**.js, package.json). Its `analyzePackage` does the linting; this runs it on
 * the generated sources and on the built package, so nothing is downloaded.
 *
 * usage: node scan_package.mjs SOURCES BUILT   (NODE_PATH: the n8n toolchain's node_modules)
 * prints [{"leg": "sources"|"dist", "passed": bool, "message": ..., "details": ...}]
 */

import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The scanner makes a temporary folder when it loads: in the scratch HOME the caller removes.
process.env.TMPDIR = process.env.HOME;
const scanner = path.join(process.env.NODE_PATH, '@n8n/scan-community-package/scanner/scanner.mjs');
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scanner).href);

const [sources, built] = process.argv.slice(2);
const legs = [
  ['sources', await analyzePackage(sources, SOURCE_FILE_PATTERNS)],
  ['dist', await analyzePackage(built, ['dist/**/*.js', 'package.json'])],
];
const report = legs.map(([leg, { passed, message, details }]) => ({ leg, passed, message, details }));
process.stdout.write(JSON.stringify(report));
