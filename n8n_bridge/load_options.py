"""A node's `methods`: one per option source its inputs use, each listed by the kernel: a
`loadOptions` method behind a dropdown, a `listSearch` method behind a resource locator's list."""

from __future__ import annotations

from dataclasses import dataclass

from connector_core.spec.models import Operation
from n8n_bridge.fields import input_fields
from n8n_bridge.properties import list_searcher, option_loader
from n8n_bridge.tsliteral import literal


@dataclass(frozen=True)
class NodeMethods:
    loaders: list[str]  # option sources behind dropdowns, sorted
    searchers: list[str]  # option sources behind resource locators, sorted

    def type_imports(self) -> list[str]:
        """The n8n-workflow types the methods are written with."""
        types = ["ILoadOptionsFunctions"] if self.loaders or self.searchers else []
        types += ["INodePropertyOptions"] if self.loaders else []
        types += ["INodeListSearchResult"] if self.searchers else []
        return types

    def adapter_import(self) -> str:
        """The import of the adapter functions the methods call, or "" when there are none."""
        names = (["listOptions"] if self.loaders else []) + (["searchOptions"] if self.searchers else [])
        return f"import {{ {', '.join(names)} }} from './shared/options';\n" if names else ""

    def block(self) -> str:
        """The node class's `methods` member, or "" when no input has a dropdown or a locator."""
        groups = []
        if self.loaders:
            groups.append("\t\tloadOptions: {\n" + "".join(
                f"\t\t\tasync {option_loader(source)}(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {{\n"
                f"\t\t\t\treturn await listOptions(this, {literal(source)});\n"
                "\t\t\t},\n" for source in self.loaders) + "\t\t},\n")
        if self.searchers:
            groups.append("\t\tlistSearch: {\n" + "".join(
                f"\t\t\tasync {list_searcher(source)}(this: ILoadOptionsFunctions, filter?: string): "
                "Promise<INodeListSearchResult> {\n"
                f"\t\t\t\treturn await searchOptions(this, {literal(source)}, filter);\n"
                "\t\t\t},\n" for source in self.searchers) + "\t\t},\n")
        return f"\n\tmethods = {{\n{''.join(groups)}\t}};\n" if groups else ""


def node_methods(operations: list[Operation]) -> NodeMethods:
    """The option sources the operations' inputs (and their list items) name (`x-options`), by how n8n shows them."""
    every = [field for operation in operations for top in input_fields(operation) for field in (top, *top.items)]
    fields = [field for field in every if "x-options" in field.schema]
    return NodeMethods(loaders=sorted({field.schema["x-options"] for field in fields if not field.locator}),
                       searchers=sorted({field.schema["x-options"] for field in fields if field.locator}))
