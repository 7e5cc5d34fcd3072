"""The package's publish workflow: GitHub Actions publishing to npm with a provenance statement
when a release is published (n8n accepts community nodes published this way only, from
1 May 2026). The package folder is meant to be the root of the repository `package.json` names.
"""

from __future__ import annotations

PUBLISH_WORKFLOW_PATH = ".github/workflows/publish.yml"

PUBLISH_WORKFLOW = """\
# Publishes this n8n community node package to npm, with npm provenance, when a GitHub release is
# published. n8n requires provenance for community nodes from 1 May 2026: it proves the package was
# built by this workflow from this repository (the one package.json names as `repository`).
#
# One-time setup, either:
#   A. npm trusted publishing (no secret): on npmjs.com, the package's settings, "Trusted Publishers",
#      add GitHub Actions with this repository and the workflow file name publish.yml; or
#   B. an npm granular access token for this package, as the repository secret NPM_TOKEN.
# The release's tag must be the version in package.json (1.2.3 or v1.2.3).
name: Publish

on:
  release:
    types: [published]

permissions:
  contents: read
  id-token: write # the OIDC token npm signs the provenance statement with

jobs:
  publish:
    name: Publish to npm with provenance
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 24
          registry-url: https://registry.npmjs.org
      - name: Use an npm that supports trusted publishing
        run: npm install --global npm@^11.5.1
      - name: Check the release tag is the package version
        run: test "${GITHUB_REF_NAME#v}" = "$(node -p "require('./package.json').version")"
      - run: npm install
      - name: Lint, build and publish
        run: npm publish --provenance --access public
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
"""
