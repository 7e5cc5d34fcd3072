"""`methods.loadOptions`: one method per option source a node's inputs use; the kernel lists it."""

from __future__ import annotations

from connector_core.spec.models import Operation, options_annotations
from n8n_bridge.properties import option_loader
from n8n_bridge.tsliteral import literal

IMPORTS = ["ILoadOptionsFunctions", "INodePropertyOptions"]
IMPORT_ADAPTER = "import { listOptions } from './shared/options';\n"


def option_sources(operations: list[Operation]) -> list[str]:
    """The option sources named by the operations' inputs (`x-options`), sorted."""
    return sorted({source for operation in operations for _, source in options_annotations(operation.input)})


def load_options_block(sources: list[str]) -> str:
    """The node class's `methods` member, or "" when no input has a dropdown."""
    if not sources:
        return ""
    methods = "".join(
        f"\t\t\tasync {option_loader(source)}(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {{\n"
        f"\t\t\t\treturn await listOptions(this, {literal(source)});\n"
        "\t\t\t},\n"
        for source in sources)
    return f"\n\tmethods = {{\n\t\tloadOptions: {{\n{methods}\t\t}},\n\t}};\n"
