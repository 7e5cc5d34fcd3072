"""The spec language: a connector described as data.

A connector is a connection (base URL, credentials, how they are sent) plus operations. Each
operation pairs an input and an output JSON Schema (draft 2020-12) with a declarative request
mapping and response handling. Nothing here knows about Zapier, Make or n8n, and nothing here
knows about one particular API: generators and the runtime read these models, never a raw file.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from connector_core.spec import passed_checks
from connector_core.spec.logo import check_svg

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
HTTPS_PATTERN = r"^https://[^\s/?#]+[^\s]*$"
VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
DOTTED_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
BODY_PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$"  # a digit segment: a list index
SEARCH_TARGET_PATTERN = r"^[a-z][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"

OperationKind = Literal["trigger", "action", "search", "list", "test"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Scalar = Union[str, int, float, bool]


class SpecModel(BaseModel):
    """Strict base: an unknown key in a spec is a mistake, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def https_url(value: str) -> str:
    """A link shown to users or used for the API: https only, so no key or click goes out in clear."""
    if not re.match(HTTPS_PATTERN, value):
        raise ValueError(f"must be an https:// URL, got {value!r}")
    return value


HttpsUrl = Annotated[str, AfterValidator(https_url)]


def template_fields(template: str) -> list[str]:
    """Names of the `{placeholders}` in a path or URL template, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


# The JSON Schema keywords both runtimes implement (the Python runtime and the JS kernel); a
# schema using any other is refused when the spec loads, so no keyword is ever dropped silently.
SCHEMA_KEYWORDS = (
    "type", "properties", "required", "additionalProperties", "items", "enum",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "format",
    "examples", "title", "description", "default", "x-options", "x-group", "x-search", "x-timestamp",
    "x-summary",
)
SCHEMA_FORMATS = ("date", "email", "date-time")
DERIVED_FORMAT = "date-time"  # in an output, only on a property the runtimes derive with `x-timestamp`


def check_json_schema(schema: dict[str, Any], *, is_input: bool = False) -> dict[str, Any]:
    """Reject a schema that is not valid draft 2020-12, not an object schema, or uses a keyword
    the runtimes do not implement. An input may ask for `format: date-time` (a user's date-time,
    checked for its offset); an output never does, since the runtimes write that text themselves."""
    if not passed_checks.passed("metaschema", schema):
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            where = ".".join(str(part) for part in error.path) or "(root)"
            raise ValueError(f"not a valid JSON Schema at {where}: {error.message}") from None
        passed_checks.remember("metaschema", schema)
    if schema.get("type") != "object":
        raise ValueError("must be a JSON Schema with type 'object'")
    _check_keywords(schema, "(root)", is_input)
    return schema


def check_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return check_json_schema(schema, is_input=True)


def _check_keywords(schema: Any, where: str, is_input: bool) -> None:
    if not isinstance(schema, dict):
        raise ValueError(f"at {where}: a schema must be an object (true/false schemas are not supported)")
    for keyword, value in schema.items():
        if keyword not in SCHEMA_KEYWORDS:
            raise ValueError(f"at {where}: JSON Schema keyword {keyword!r} is not supported by the runtimes "
                             f"(supported: {', '.join(SCHEMA_KEYWORDS)})")
        if keyword == "format" and value not in SCHEMA_FORMATS:
            raise ValueError(f"at {where}: format {value!r} is not supported (supported: {', '.join(SCHEMA_FORMATS)})")
        if keyword == "format" and value == DERIVED_FORMAT and is_input and schema.get("type") != "string":
            raise ValueError(f"at {where}: format {DERIVED_FORMAT!r} on an input needs type 'string'")
        if keyword == "format" and value == DERIVED_FORMAT and not is_input and "x-timestamp" not in schema:
            raise ValueError(f"at {where}: format {DERIVED_FORMAT!r} is only for a property derived with "
                             "'x-timestamp' (the runtimes write that text themselves)")
        if keyword == "additionalProperties" and not isinstance(value, bool):
            raise ValueError(f"at {where}: 'additionalProperties' must be true or false")
    for name, sub in schema.get("properties", {}).items():
        _check_keywords(sub, f"{where}.{name}" if where != "(root)" else name, is_input)
    if "items" in schema:
        _check_keywords(schema["items"], f"{where}[]", is_input)


def check_ecma_pattern(pattern: str) -> None:
    """A pattern both runtimes compile the same way (the kernel with JavaScript's RegExp)."""
    from connector_core.runtime.ecma import compile_ecma

    try:
        compile_ecma(pattern)
    except re.error as error:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {error}") from None


# --- Connection -------------------------------------------------------------------------------


class Choice(SpecModel):
    """One value a connection field offers, such as an environment's base URL."""

    label: str = Field(min_length=1, max_length=64)
    value: str = Field(min_length=1)


class ConnectionField(SpecModel):
    """One value a user enters when connecting (an API key, an account slug, a base URL)."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=2, max_length=64)
    description: str = ""
    secret: bool = False
    required: bool = True
    default: str | None = None
    env: str | None = Field(default=None, description="environment variable that may supply it")
    choices: list[Choice] | None = Field(default=None, min_length=1, description="a dropdown of exactly these "
                                         "values on every platform (no free text)")
    help_url: HttpsUrl | None = Field(default=None, description="where a user finds this value")
    pattern: str | None = Field(default=None, description="an ECMA-262 regular expression a value must match "
                                "(searched, like an input's pattern: anchor it yourself)")

    @field_validator("pattern")
    @classmethod
    def _pattern_is_a_regex(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            check_ecma_pattern(pattern)
        return pattern

    @model_validator(mode="after")
    def _choices_are_a_closed_list(self) -> ConnectionField:
        if self.choices is None:
            return self
        values = [choice.value for choice in self.choices]
        if self.secret:
            raise ValueError(f"field {self.key!r}: a secret field cannot have choices")
        if len(set(values)) != len(values):
            raise ValueError(f"field {self.key!r}: choices repeat a value")
        if self.default is not None and self.default not in values:
            raise ValueError(f"field {self.key!r}: default {self.default!r} is not one of its choices {values}")
        return self


class ApiKeyHeaderAuth(SpecModel):
    """The key travels in one request header, e.g. `API-Key: <key>`."""

    type: Literal["api_key_header"]
    header: str
    value: str = Field(description="template over connection fields, e.g. '{api_key}'")


class BasicAuth(SpecModel):
    """HTTP Basic; both parts are templates over connection fields."""

    type: Literal["basic"]
    username: str
    password: str


Auth = Annotated[Union[ApiKeyHeaderAuth, BasicAuth], Field(discriminator="type")]


class Connection(SpecModel):
    base_url: str = Field(description="template over connection fields, e.g. '{base_url}'")
    fields: list[ConnectionField]
    auth: Auth
    headers: dict[str, str] = Field(default_factory=dict, description="sent with every request")
    test: str = Field(description="key of the operation that validates a connection")
    label: str | None = Field(
        default=None, description="template over the test operation's output naming the account"
    )

    @model_validator(mode="after")
    def _templates_name_known_fields(self) -> Connection:
        if not self.secret_fields:
            raise ValueError("fields: at least one field must be secret (the API key or token)")
        known = {field.key for field in self.fields}
        templates = {"base_url": self.base_url}
        if isinstance(self.auth, ApiKeyHeaderAuth):
            templates["auth.value"] = self.auth.value
        else:
            templates["auth.username"] = self.auth.username
            templates["auth.password"] = self.auth.password
        for where, template in templates.items():
            unknown = [name for name in template_fields(template) if name not in known]
            if unknown:
                raise ValueError(f"{where} names unknown connection field(s) {unknown}")
        self._base_url_choices_are_https()
        return self

    def _base_url_choices_are_https(self) -> None:
        """A field that is the whole base URL offers only https hosts: a user cannot pick a clear-text one."""
        for field in self.fields:
            if field.choices and self.base_url == f"{{{field.key}}}":
                for choice in field.choices:
                    try:
                        https_url(choice.value)
                    except ValueError as error:
                        raise ValueError(f"fields.{field.key}.choices: base URL choice {choice.label!r} {error}") from None

    @property
    def secret_fields(self) -> list[ConnectionField]:
        return [field for field in self.fields if field.secret]

    @property
    def credential(self) -> ConnectionField:
        """The secret a user pastes to connect (an API key or token): the first secret field."""
        return self.secret_fields[0]


# --- Errors and retries -----------------------------------------------------------------------


class Advice(SpecModel):
    """What a user can do about one error status, appended to the API's message."""

    status: int = Field(ge=400, le=599)
    message: str = Field(min_length=1, max_length=300)


class BodyStatusCode(SpecModel):
    """One documented value of a status field in the body: what it means and which error it is."""

    code: Scalar
    message: str = Field(min_length=1, max_length=300)
    kind: Literal["auth", "rate_limit", "temporary", "api"] = Field(
        default="api", description="auth: a connection error; rate_limit and temporary: retried with backoff; "
        "api: an error, never retried")


class BodyStatus(SpecModel):
    """A status code an API sends in the body of a 2xx answer: a value outside `ok` is an error."""

    field: str = Field(pattern=DOTTED_PATTERN)
    ok: list[Scalar] = Field(default_factory=lambda: [0], min_length=1)
    codes: list[BodyStatusCode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _codes_are_errors(self) -> BodyStatus:
        codes = [code.code for code in self.codes]
        if any(_same_scalar(a, b) for index, a in enumerate(codes) for b in codes[index + 1:]):
            raise ValueError(f"body_status.codes: a code is listed twice: {codes}")
        success = [code for code in codes if any(_same_scalar(code, ok) for ok in self.ok)]
        if success:
            raise ValueError(f"body_status.codes: {success} are in body_status.ok (success, not an error)")
        return self


def _same_scalar(a: Scalar, b: Scalar) -> bool:
    """Equal as JSON values: `1` and `true` differ, though Python calls them equal."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


class ErrorMapping(SpecModel):
    """How an error response becomes a typed error with the API's own message."""

    message: str | list[str] = Field(default="error.message", description="dotted path of the error message, or a "
                                     "list of paths: the first present one wins")
    auth: list[int] = Field(default_factory=lambda: [401, 403])
    rate_limit: list[int] = Field(default_factory=lambda: [429])
    retry_after_header: str = "Retry-After"
    temporary: list[int] = Field(default_factory=lambda: [500, 502, 503, 504])
    not_found: list[int] = Field(default_factory=lambda: [404], description="statuses that mean nothing found: "
                                 "a search or list returns no records, an action fails with NotFoundError")
    body_error: str | None = Field(default=None, pattern=DOTTED_PATTERN, description="dotted path of an error "
                                   "object some APIs send with a 2xx status: a non-null value there is an ApiError")
    advice: list[Advice] = Field(default_factory=list, description="what to do about an error status, appended "
                                 "to its message")
    body_status: BodyStatus | None = Field(default=None, description="a status code in the body of 2xx answers")

    @field_validator("message")
    @classmethod
    def _message_paths_are_dotted(cls, message: str | list[str]) -> str | list[str]:
        paths = [message] if isinstance(message, str) else message
        if not paths:
            raise ValueError("errors.message: list at least one path")
        for path in paths:
            if not re.match(DOTTED_PATTERN, path):
                raise ValueError(f"errors.message: {path!r} must be a dotted path")
        return message

    @model_validator(mode="after")
    def _one_body_rule(self) -> ErrorMapping:
        if self.body_status is not None and self.body_error is not None:
            raise ValueError("errors.body_status and errors.body_error cannot both be set: a 2xx answer "
                             "carries one kind of error")
        statuses = [advice.status for advice in self.advice]
        if len(set(statuses)) != len(statuses):
            raise ValueError(f"errors.advice: a status is listed twice: {statuses}")
        return self

    @property
    def message_paths(self) -> list[str]:
        """The dotted paths tried for an error's message, in order."""
        return [self.message] if isinstance(self.message, str) else list(self.message)


class RetryPolicy(SpecModel):
    """Bounded exponential backoff for rate limits and temporary failures."""

    max_attempts: int = Field(default=4, ge=1, le=10)
    base_delay: float = Field(default=0.5, gt=0)
    max_delay: float = Field(default=30.0, gt=0)
    jitter: float = Field(default=0.0, ge=0, le=1, description="each delay shrinks by up to this share, at random, "
                          "so clients that failed together do not retry together")


class Limits(SpecModel):
    """What one operation may cost: a hung or hostile server must not hold a run or its memory."""

    timeout: float = Field(default=30.0, gt=0, description="seconds one request may take")
    deadline: float = Field(default=120.0, gt=0, description="seconds one operation (or poll) may take, retries included")
    max_response_bytes: int = Field(default=16_777_216, ge=1, description="the largest answer read")


# --- Requests ---------------------------------------------------------------------------------


def flatten_included(params: list[Any]) -> list[Any]:
    """A params list may include a shared list (a YAML alias) as one entry: it stands for its items."""
    flat: list[Any] = []
    for entry in params:
        flat.extend(entry if isinstance(entry, list) else [entry])
    return flat


Transform = Literal["date_number", "time_number", "boolean_number", "next_day"]
# The input schema each transform reads: what it turns into a number (or the next day) must be of that shape.
TRANSFORM_INPUTS = {
    "date_number": ("string", "date"),
    "next_day": ("string", "date"),
    "time_number": ("string", None),
    "boolean_number": ("boolean", None),
}


class Param(SpecModel):
    """One value of the request: taken from the input, or a constant.

    `name` is where it goes: a path placeholder, a query parameter, a header, or a dotted body
    path (`contact.email`, `task.description` for an envelope; a digit segment, `jobs.0.name`, is a
    list index). `input` is the dotted input property it comes from and defaults to `name`.
    `transform`, `default` and `map` shape an input's value; `when` sends a constant only when an
    input is given; `items` builds a list of objects; `merge` spreads a free key/value input.
    """

    location: Literal["path", "query", "body", "header"] = Field(alias="in")
    name: str
    input: str | None = Field(default=None, pattern=DOTTED_PATTERN)
    value: Scalar | dict[str, Any] | None = Field(default=None, description="a constant, sent whatever the input "
                                                 "(`{}`: an empty object, for an API that wants one)")
    transform: Transform | None = Field(default=None, description="applied to the input value before it is placed")
    default: Scalar | None = Field(default=None, description="sent when the input leaves the value out; "
                                   "never transformed")
    map: dict[str, Scalar] | None = Field(default=None, description="the input value (its JSON text for a "
                                          "non-string) selects what is sent; a value not listed sends nothing")
    when: str | None = Field(default=None, pattern=DOTTED_PATTERN, description="with a constant: sent only when "
                             "this input is given")
    items: list[Param] | None = Field(default=None, description="a body list of objects, one per item of the "
                                      "array input (or one from the operation's own input without `input`), "
                                      "each built from these params")
    merge: bool = Field(default=False, description="the object input's keys are placed beside the other params "
                        "at `name`")

    @field_validator("items", mode="before")
    @classmethod
    def _item_params_go_in_the_item(cls, items: Any) -> Any:
        """An item param has no `in`: it is placed in the item object."""
        if not isinstance(items, list):
            return items
        return [{"in": "body", **entry} if isinstance(entry, dict) else entry for entry in flatten_included(items)]

    @model_validator(mode="after")
    def _input_or_constant(self) -> Param:
        if self.value is not None and self.input is not None:
            raise ValueError(f"param {self.name!r} has both 'input' and a constant 'value'")
        if self.location == "body" and not re.match(BODY_PATH_PATTERN, self.name):
            raise ValueError(f"body param name {self.name!r} must be a dotted path (a digit segment, not the "
                             "first, is a list index)")
        if self.location == "path" and self.value is None and "." in self.name:
            raise ValueError(f"path param name {self.name!r} must be a plain placeholder")
        if isinstance(self.value, dict) and (self.value or self.location != "body"):
            raise ValueError(f"param {self.name!r}: the only object constant is {{}}, in the body")
        self._shaping_fits()
        self._lists_and_merges_fit()
        return self

    def _shaping_fits(self) -> None:
        if self.is_constant:
            shaping = [key for key in ("transform", "default", "map", "items") if getattr(self, key) is not None]
            shaping += ["merge"] if self.merge else []
            if shaping:
                raise ValueError(f"param {self.name!r}: {shaping[0]!r} shapes an input value; a constant "
                                 "'value' has none")
        elif self.when is not None:
            raise ValueError(f"param {self.name!r}: 'when' goes with a constant 'value'")
        if self.map is not None and self.transform is not None:
            raise ValueError(f"param {self.name!r}: 'map' and 'transform' cannot be combined")
        if self.map is not None and (not self.map or "" in self.map):
            raise ValueError(f"param {self.name!r}: 'map' needs at least one key, and no empty key")

    def _lists_and_merges_fit(self) -> None:
        if (self.items is not None or self.merge) and self.location != "body":
            raise ValueError(f"param {self.name!r}: 'items' and 'merge' are for body params")
        if self.merge and any(getattr(self, key) is not None for key in ("items", "transform", "default", "map")):
            raise ValueError(f"param {self.name!r}: a 'merge' param sends the object as given (no items, "
                             "transform, default or map)")
        if self.items is None:
            return
        if not self.items:
            raise ValueError(f"param {self.name!r}: 'items' lists at least one item param")
        if any(getattr(self, key) is not None for key in ("transform", "default", "map")):
            raise ValueError(f"param {self.name!r}: an 'items' param sends a list (no transform, default or map)")
        for item in self.items:
            if item.location != "body" or item.items is not None or item.merge or item.when is not None:
                raise ValueError(f"param {self.name!r}: item param {item.name!r} is placed in the item "
                                 "(no 'in', 'items', 'merge' or 'when')")
        names = [item.name for item in self.items]
        if len(set(names)) != len(names):
            raise ValueError(f"param {self.name!r}: item params send the same name twice: {names}")

    @property
    def is_constant(self) -> bool:
        return self.value is not None

    @property
    def source(self) -> str:
        """The dotted input property this param reads."""
        return self.input or self.name

    @property
    def lists_own_input(self) -> bool:
        """A list of one object built from the operation's own input (`items` without `input`)."""
        return self.items is not None and self.input is None


# --- Paging ---------------------------------------------------------------------------------------

ParamPlace = Annotated[Literal["query", "body"], Field(
    alias="in", description="query parameters, or dotted paths merged into the body built from the params")]


def check_placed_names(location: str, names: list[str]) -> None:
    """Paging and cursor params in the body are dotted body paths, like body params."""
    for name in names:
        if location == "body" and not re.match(BODY_PATH_PATTERN, name):
            raise ValueError(f"{name!r} must be a dotted body path, since 'in' is 'body'")


class OffsetPagination(SpecModel):
    style: Literal["offset"]
    offset_param: str
    limit_param: str
    page_size: int = Field(ge=1)
    location: ParamPlace = "query"

    @model_validator(mode="after")
    def _names_fit_their_place(self) -> OffsetPagination:
        check_placed_names(self.location, self.param_names)
        return self

    @property
    def param_names(self) -> list[str]:
        return [self.offset_param, self.limit_param]


class PageNumberPagination(SpecModel):
    style: Literal["page"]
    page_param: str
    size_param: str
    page_size: int = Field(ge=1)
    first_page: int = 1
    location: ParamPlace = "query"

    @model_validator(mode="after")
    def _names_fit_their_place(self) -> PageNumberPagination:
        check_placed_names(self.location, self.param_names)
        return self

    @property
    def param_names(self) -> list[str]:
        return [self.page_param, self.size_param]


Pagination = Annotated[Union[OffsetPagination, PageNumberPagination], Field(discriminator="style")]


class PageBudget(SpecModel):
    max_pages: int = Field(default=10, ge=1, description="pages one search or list may read; all of them full "
                           "is a TooManyResultsError (nothing is returned partially)")


class SearchOffsetPagination(OffsetPagination, PageBudget):
    """A search or list read page by page with an offset, until a short page."""


class SearchPageNumberPagination(PageNumberPagination, PageBudget):
    """A search or list read page by page with page numbers, until a short page."""


SearchPagination = Annotated[Union[SearchOffsetPagination, SearchPageNumberPagination], Field(discriminator="style")]


class RequestMapping(SpecModel):
    method: HttpMethod
    path: str = Field(pattern=r"^/")
    params: list[Param] = Field(default_factory=list)
    strip_empty: bool = Field(
        default=True, description="drop inputs that are null, '' or empty objects before sending"
    )
    idempotent_with: list[str] = Field(
        default_factory=list, description="input fields any one of which, given, makes the request safe to send "
        "again (an upsert key); GET, PUT, PATCH and DELETE are safe by their method")
    pagination: SearchPagination | None = Field(default=None, description="on a search or list extracting items: "
                                                "read page after page until a short page")

    @field_validator("params", mode="before")
    @classmethod
    def _flatten_included_lists(cls, params: Any) -> Any:
        return flatten_included(params) if isinstance(params, list) else params

    @model_validator(mode="after")
    def _path_placeholders_are_params(self) -> RequestMapping:
        placeholders = set(template_fields(self.path))
        path_params = {param.name for param in self.params if param.location == "path"}
        if placeholders - path_params:
            raise ValueError(f"path {self.path!r} has no 'path' param for {sorted(placeholders - path_params)}")
        if path_params - placeholders:
            raise ValueError(f"'path' params {sorted(path_params - placeholders)} are not in {self.path!r}")
        targets = [(param.location, param.name) for param in self.params]
        duplicates = sorted({f"{loc}:{name}" for loc, name in targets if targets.count((loc, name)) > 1})
        if duplicates:
            raise ValueError(f"params send the same target twice: {duplicates}")
        if self.pagination is not None:
            check_paging_names(self, self.pagination.location, self.pagination.param_names, "request.pagination")
        return self

    def params_in(self, location: str) -> list[Param]:
        return [param for param in self.params if param.location == location]


def check_paging_names(mapping: RequestMapping, location: str, names: list[str], where: str) -> None:
    """A paging or cursor param is not also one of the operation's own params."""
    taken = sorted({param.name for param in mapping.params_in(location)} & set(names))
    if taken:
        raise ValueError(f"{where} sends {taken} in the {location}, which a request param also sends")


# --- Responses --------------------------------------------------------------------------------


class FieldFilter(SpecModel):
    """Keep only records whose field compares true (e.g. `progress == success`)."""

    field: str = Field(pattern=DOTTED_PATTERN)
    op: Literal["eq", "ne", "in"] = "eq"
    value: Scalar | list[Scalar]

    @model_validator(mode="after")
    def _value_fits_op(self) -> FieldFilter:
        if (self.op == "in") != isinstance(self.value, list):
            raise ValueError("'in' takes a list value; 'eq' and 'ne' take a single value")
        return self


class ExactMatch(SpecModel):
    """Keep only records where one of `fields` equals the input value (after a fuzzy search)."""

    input: str = Field(pattern=DOTTED_PATTERN)
    fields: list[str] = Field(min_length=1)
    case_insensitive: bool = True


class ResponseMapping(SpecModel):
    """What the operation returns, taken from the response body.

    `items`: the list at `path` (a trigger's or search's records); `first`: the first record of
    that list; `object`: the object at `path`. `empty` says what `first` returns when the list is
    missing or empty: an error, or the operation's own input (a delete that answers with no item).
    """

    extract: Literal["items", "first", "object"]
    path: str = Field(default="", pattern=r"^$|" + DOTTED_PATTERN)
    empty: Literal["error", "input"] = "error"
    filters: list[FieldFilter] = Field(default_factory=list)
    match: ExactMatch | None = None

    @model_validator(mode="after")
    def _list_only_options(self) -> ResponseMapping:
        if self.extract == "object" and (self.filters or self.match):
            raise ValueError("filters and match apply to lists; extract 'object' has none")
        if self.extract != "first" and self.empty != "error":
            raise ValueError("'empty' applies only to extract 'first'")
        return self

    @property
    def returns_list(self) -> bool:
        return self.extract == "items"


# --- Polling ----------------------------------------------------------------------------------


class Cursor(SpecModel):
    """The request parameter that asks for changes since a point, and the record field it reads."""

    param: str
    field: str = Field(pattern=DOTTED_PATTERN)
    unit: Literal["epoch_ms"] = "epoch_ms"
    kind: Literal["created", "updated"] = Field(
        default="updated", description="created: a record's position never changes, so a quiet poll is one probe")
    location: ParamPlace = "query"

    @model_validator(mode="after")
    def _name_fits_its_place(self) -> Cursor:
        check_placed_names(self.location, [self.param])
        return self


class Polling(SpecModel):
    """How a trigger asks only for what changed, and how it recognises an event it has seen.

    Without a cursor (an API with no since filter) every poll walks the list from its first page,
    and an event is a record whose identity was never seen.
    """

    cursor: Cursor | None = None
    lookback_ms: int = Field(default=0, ge=0, description="re-read this far behind the cursor: late commits")
    initial_window_ms: int | None = Field(default=None, gt=0, description="the widest window a manual test looks "
                                          "back over (with a cursor)")
    pagination: Pagination
    max_pages: int = Field(default=50, ge=1, description="page budget of one poll, walk restarts included")
    identity: list[str] | None = Field(default=None, min_length=1, description="fields naming one record")
    dedupe_key: list[str] = Field(min_length=1, description="fields that identify one event")
    fingerprint: bool = Field(default=False, description="the event key also holds a hash of the record")
    remember_ms: int = Field(default=0, ge=0, description="keep seen keys this long past the horizon")
    window_ms: int = Field(default=900_000, gt=0, description="the polling interval a stateless host covers")

    @model_validator(mode="after")
    def _cursor_or_walk(self) -> Polling:
        if self.cursor is not None:
            if "lookback_ms" not in self.model_fields_set or self.initial_window_ms is None:
                raise ValueError("polling.lookback_ms and polling.initial_window_ms are required with a cursor")
            if self.cursor.param in self.pagination.param_names:
                raise ValueError(f"polling.cursor.param {self.cursor.param!r} is also a paging param")
        else:
            given = [key for key in ("lookback_ms", "remember_ms", "initial_window_ms") if getattr(self, key)]
            if given:
                raise ValueError(f"polling.{given[0]} needs a cursor: without one, every poll walks the list "
                                 "from its first page")
        return self

    @model_validator(mode="after")
    def _records_are_events(self) -> Polling:
        """With a `created` cursor, or none, one record is one event: counted and seen by its identity."""
        if self.cursor is not None and self.cursor.kind != "created":
            return self
        when = "polling.cursor.kind is 'created'" if self.cursor else "polling has no cursor"
        if self.dedupe_key != self.record_identity:
            raise ValueError(f"polling.dedupe_key must equal polling.identity when {when}: "
                             "one record is one event")
        if self.fingerprint:
            raise ValueError(f"polling.fingerprint must be false when {when}: a record created once is one event")
        return self

    @property
    def record_identity(self) -> list[str]:
        """The fields naming one record: `identity`, or the first dedupe field."""
        return self.identity or self.dedupe_key[:1]


# --- Option sources ----------------------------------------------------------------------------


class OptionSource(SpecModel):
    """A list a no-code user picks from (a dropdown), such as the members to assign a job to.

    An input property names it with the JSON Schema annotation `x-options: <source>`; each
    platform renders it its own way (a hidden trigger, an RPC, a loadOptions method). A source
    with an `input` (a customer's jobs) reads the values of other fields of the form it sits in.
    """

    label: str = Field(min_length=2, max_length=64)
    description: str = Field(min_length=1, max_length=1000)
    input: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}},
                                  description="what the source's params read: other fields of the same form")
    request: RequestMapping
    response: ResponseMapping
    value: str = Field(pattern=DOTTED_PATTERN, description="record field a choice sends")
    label_field: str = Field(pattern=DOTTED_PATTERN, description="record field a user sees")
    sample: dict[str, Any]

    _check_input = field_validator("input")(check_input_schema)

    @model_validator(mode="after")
    def _lists_from_its_input(self) -> OptionSource:
        if not self.response.returns_list:
            raise ValueError("an option source's response must extract 'items'")
        if self.request.pagination is not None:
            raise ValueError("an option source reads one page: request.pagination is for searches and lists")
        for field in (self.value, self.label_field):
            if field.split(".")[0] not in self.sample:
                raise ValueError(f"sample has no {field!r}, the field the source reads")
        check_input_annotations(self.input)
        if options_annotations(self.input):
            raise ValueError("input: an option source's input has no x-options of its own")
        check_param_inputs(self.request, self.input)
        check_inputs_used(self.input, param_inputs(self.request))
        return self


# --- Operations and connectors ----------------------------------------------------------------


class Operation(SpecModel):
    key: str = Field(pattern=KEY_PATTERN)
    kind: OperationKind
    resource: str | None = Field(default=None, pattern=KEY_PATTERN, description="the key of the resource it acts "
                                 "on (how platforms group operations); every kind but 'test' names one")
    label: str = Field(min_length=2, max_length=64)
    description: str = Field(min_length=1, max_length=1000)
    destructive: bool = Field(default=False, description="an action whose effect cannot be undone")
    warning: str | None = Field(default=None, min_length=1, max_length=300,
                                description="what a user must know before running a destructive action")
    input: dict[str, Any]
    output: dict[str, Any]
    sample: dict[str, Any]
    request: RequestMapping
    response: ResponseMapping
    polling: Polling | None = None
    or_create: str | None = Field(
        default=None, description="on a search: the action that creates the record when none is found"
    )
    # Each input a dropdown of this form reads -> the top-level input holding the first dropdown that
    # reads it; the connector fills it from its option sources (`Connector._options_name_sources`).
    _dropdown_reads: dict[str, str] = PrivateAttr(default_factory=dict)

    _check_input = field_validator("input")(check_input_schema)
    _check_output = field_validator("output")(check_json_schema)

    @model_validator(mode="after")
    def _consistent(self) -> Operation:
        if (self.kind == "trigger") != (self.polling is not None):
            raise ValueError("'polling' is required for triggers and allowed only for them")
        if self.kind == "trigger" and not self.response.returns_list:
            raise ValueError("a trigger's response must extract 'items'")
        if self.kind == "trigger" and (self.response.filters or self.response.match):
            raise ValueError("response.filters and response.match are not allowed on a trigger: ask the API "
                             "with a request param instead, so the poll's counts hold")
        if (self.kind == "test") != (self.resource is None):
            raise ValueError("'resource' is required on every operation except kind 'test', and a test has none")
        if self.kind == "list" and (not self.response.returns_list or self.or_create is not None):
            raise ValueError("a list operation must extract 'items' and has no 'or_create'")
        if self.destructive != (self.warning is not None):
            raise ValueError("'warning' is required when 'destructive' is true, and allowed only then")
        if self.destructive and self.kind != "action":
            raise ValueError("only an action can be 'destructive'")
        if self.request.pagination is not None and (self.kind not in ("search", "list")
                                                    or not self.response.returns_list):
            raise ValueError("request.pagination is only for a search or list that extracts 'items' "
                             "(a trigger pages with polling.pagination)")
        if self.polling is not None:
            self._check_polling_places()
        check_input_annotations(self.input)
        check_output_annotations(self.output)
        self._check_sample()
        self._check_mapping_covers_input()
        return self

    def _check_sample(self) -> None:
        if passed_checks.passed("sample", [self.output, self.sample]):
            return
        from jsonschema import Draft202012Validator

        errors = sorted(Draft202012Validator(self.output).iter_errors(self.sample), key=str)
        if errors:
            where = ".".join(str(part) for part in errors[0].absolute_path) or "(root)"
            raise ValueError(f"sample does not match output schema at {where}: {errors[0].message}")
        passed_checks.remember("sample", [self.output, self.sample])

    def _check_polling_places(self) -> None:
        """The cursor and paging params do not overwrite the operation's own params."""
        polling = self.polling
        check_paging_names(self.request, polling.pagination.location, polling.pagination.param_names,
                           "polling.pagination")
        if polling.cursor is not None:
            check_paging_names(self.request, polling.cursor.location, [polling.cursor.param], "polling.cursor")

    def _check_mapping_covers_input(self) -> None:
        """Every param reads a declared input (every input is sent or used: checked by the connector,
        which knows the option sources reading an input)."""
        check_param_inputs(self.request, self.input, self.used_inputs)
        declared = set(input_paths(self.input))
        unknown_keys = sorted(set(self.request.idempotent_with) - declared)
        if unknown_keys:
            raise ValueError(f"request.idempotent_with names input(s) {unknown_keys} that the input schema does not declare")
        required = set(self.input.get("required", []))
        for param in self.request.params_in("path"):
            if not param.is_constant and param.source not in required:
                raise ValueError(f"path param {param.name!r} must come from a required input")

    @property
    def dropdown_reads(self) -> dict[str, str]:
        """Each input a dropdown of this form reads (the customer whose jobs a Job dropdown lists) ->
        the top-level input that holds the first such dropdown."""
        return dict(self._dropdown_reads)

    @property
    def used_inputs(self) -> set[str]:
        """The input paths the operation itself sends or reads."""
        used = param_inputs(self.request)
        if self.response.match:
            used.add(self.response.match.input)
        return used


class Publisher(SpecModel):
    """Who publishes the connector: each platform shows it (package author, app README, support link)."""

    name: str = Field(min_length=2, max_length=100)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    homepage: HttpsUrl
    repository: HttpsUrl = Field(description="the public source of the connector")
    support: HttpsUrl


class Logo(SpecModel):
    """The connector's logo as SVG text (a spec writes `{file: logo.svg}`; the loader reads it in)."""

    svg: str

    _check_svg = field_validator("svg")(check_svg)


class Release(SpecModel):
    """One version in the connector's history, as users read it in each platform's changelog."""

    version: str = Field(pattern=VERSION_PATTERN)
    notes: str = Field(min_length=1, max_length=2000)


class Resource(SpecModel):
    """A kind of record the API manages (a job, a member): how platforms group operations."""

    label: str = Field(min_length=2, max_length=64)
    plural: str = Field(min_length=2, max_length=64)


class Connector(SpecModel):
    name: str = Field(pattern=KEY_PATTERN)
    label: str
    description: str
    version: str = Field(pattern=VERSION_PATTERN)
    docs_url: str | None = None
    publisher: Publisher
    logo: Logo
    history: list[Release] = Field(min_length=1, description="newest first; the first is `version`")
    resources: dict[str, Resource] = Field(default_factory=dict)
    connection: Connection
    errors: ErrorMapping = Field(default_factory=ErrorMapping)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    limits: Limits = Field(default_factory=Limits)
    option_sources: dict[str, OptionSource] = Field(default_factory=dict)
    operations: dict[str, Operation]

    @model_validator(mode="before")
    @classmethod
    def _operation_keys_from_mapping(cls, data: Any) -> Any:
        """Operations are written as a mapping; its key is the operation's key."""
        if isinstance(data, dict) and isinstance(data.get("operations"), dict):
            data = dict(data)
            data["operations"] = {
                key: ({"key": key, **body} if isinstance(body, dict) else body)
                for key, body in data["operations"].items()
            }
        return data

    @model_validator(mode="after")
    def _connection_test_exists(self) -> Connector:
        test = self.operations.get(self.connection.test)
        if test is None:
            raise ValueError(f"connection.test names unknown operation {self.connection.test!r}")
        if test.kind != "test":
            raise ValueError(f"connection.test operation {test.key!r} must have kind 'test'")
        return self

    @model_validator(mode="after")
    def _or_create_pairs_a_search_with_an_action(self) -> Connector:
        for operation in self.operations.values():
            if operation.or_create is None:
                continue
            create = self.operations.get(operation.or_create)
            if operation.kind != "search" or create is None or create.kind != "action":
                raise ValueError(f"operation {operation.key!r}: or_create must pair a search with an action")
            missing = set(input_paths(operation.input)) - set(input_paths(create.input))
            if missing:
                raise ValueError(f"operation {operation.key!r}: or_create action {create.key!r} lacks "
                                 f"input(s) {sorted(missing)} the search is given")
        return self

    @model_validator(mode="after")
    def _options_name_sources(self) -> Connector:
        for operation in self.operations.values():
            for path, source in options_annotations(operation.input):
                if source not in self.option_sources:
                    raise ValueError(f"operation {operation.key!r}: input {path} has x-options {source!r}, "
                                     f"which is not in option_sources")
                reads = self.option_sources[source].input.get("properties", {})
                missing = [name for name in reads if name not in operation.input.get("properties", {})]
                if missing:
                    raise ValueError(f"operation {operation.key!r}: input {path} has x-options {source!r}, which "
                                     f"reads input(s) {missing}: declare them at the top level of the operation's "
                                     "input")
                for name in reads:
                    operation._dropdown_reads.setdefault(name, path.split(".")[0])
        return self

    @model_validator(mode="after")
    def _inputs_are_sent_or_used(self) -> Connector:
        """An input the operation never sends is still used when a dropdown of its form reads it."""
        for operation in self.operations.values():
            used = operation.used_inputs
            for _, source in options_annotations(operation.input):
                used |= set(self.option_sources[source].input.get("properties", {}))
            try:
                check_inputs_used(operation.input, used)
            except ValueError as error:
                raise ValueError(f"operation {operation.key!r}: {error}") from None
        return self

    @model_validator(mode="after")
    def _searches_find_their_field(self) -> Connector:
        for operation in self.operations.values():
            for name, target in search_annotations(operation.input):
                search_key, _, field = target.partition(".")
                search = self.operations.get(search_key)
                if search is None or search.kind != "search":
                    raise ValueError(f"operation {operation.key!r}: input {name} has x-search {target!r}, but "
                                     f"{search_key!r} is not a search operation")
                if field not in input_paths(search.output):
                    raise ValueError(f"operation {operation.key!r}: input {name} has x-search {target!r}, but "
                                     f"the output of {search_key!r} has no field {field!r}")
        return self

    @model_validator(mode="after")
    def _history_starts_at_this_version(self) -> Connector:
        versions = [release.version for release in self.history]
        if versions[0] != self.version:
            raise ValueError(f"history[0].version is {versions[0]!r}, but the connector's version is {self.version!r} "
                             "(history lists releases newest first)")
        numbers = [tuple(int(part) for part in version.split(".")) for version in versions]
        if any(newer <= older for newer, older in zip(numbers, numbers[1:])):
            raise ValueError(f"history versions must strictly decrease, newest first: {versions}")
        return self

    @model_validator(mode="after")
    def _resources_are_declared_and_used(self) -> Connector:
        for key in self.resources:
            if not re.match(KEY_PATTERN, key):
                raise ValueError(f"resources: key {key!r} must match {KEY_PATTERN}")
        used = {operation.resource for operation in self.operations.values() if operation.resource is not None}
        for operation in self.operations.values():
            if operation.resource is not None and operation.resource not in self.resources:
                raise ValueError(f"operation {operation.key!r}: resource {operation.resource!r} is not declared in "
                                 f"resources (declared: {sorted(self.resources)})")
        unused = sorted(set(self.resources) - used)
        if unused:
            raise ValueError(f"resources {unused} are declared but no operation names them")
        return self

    def option_source(self, name: str) -> OptionSource:
        try:
            return self.option_sources[name]
        except KeyError:
            raise KeyError(f"connector {self.name!r} has no option source {name!r}") from None

    def operation(self, key: str) -> Operation:
        try:
            return self.operations[key]
        except KeyError:
            known = ", ".join(self.operations)
            raise KeyError(f"connector {self.name!r} has no operation {key!r} (known: {known})") from None


# --- Params against the input they read ---------------------------------------------------------


def param_inputs(mapping: RequestMapping) -> set[str]:
    """The input paths a request's params read: their sources, the inputs a `when` waits for, and
    the inputs item params read from the operation's own input."""
    used: set[str] = set()
    for param in mapping.params:
        if param.when is not None:
            used.add(param.when)
        if param.lists_own_input:
            used |= {item.source for item in param.items if not item.is_constant}
        elif not param.is_constant:
            used.add(param.source)
    return used


def check_param_inputs(mapping: RequestMapping, schema: dict[str, Any], used: set[str] | None = None) -> None:
    """Each param reads a declared input of the shape its rule takes; so does every path in `used`
    (default: the params' own)."""
    unknown = sorted(path for path in (param_inputs(mapping) if used is None else used)
                     if schema_at(schema, path) is None)
    if unknown:
        raise ValueError(f"request reads input(s) {unknown} that the input schema does not declare")
    for param in mapping.params:
        if param.lists_own_input:
            for item in param.items:
                _check_shape(item, schema)
        elif not param.is_constant:
            _check_shape(param, schema)


def _check_shape(param: Param, schema: dict[str, Any], prefix: str = "") -> None:
    read = schema_at(schema, param.source) or {}
    where = f"param {param.name!r}"
    if param.transform is not None:
        kind, form = TRANSFORM_INPUTS[param.transform]
        if read.get("type") != kind or (form is not None and read.get("format") != form):
            wanted = f"type {kind!r}" + (f" with format {form!r}" if form else "")
            raise ValueError(f"{where}: transform {param.transform!r} reads an input of {wanted}; "
                             f"input {prefix + param.source!r} is not")
    if param.merge and not (read.get("type") == "object" and read.get("additionalProperties") is True):
        raise ValueError(f"{where}: 'merge' reads an input of type 'object' with additionalProperties true; "
                         f"input {param.source!r} is not")
    if param.items is not None:
        item = read.get("items")
        if read.get("type") != "array" or not isinstance(item, dict) or item.get("type") != "object":
            raise ValueError(f"{where}: 'items' reads an input of type 'array' whose items are objects; "
                             f"input {param.source!r} is not")
        item_prefix = f"{param.source}[]."
        sources = {entry.source for entry in param.items if not entry.is_constant}
        unknown = sorted(item_prefix + path for path in sources if schema_at(item, path) is None)
        if unknown:
            raise ValueError(f"{where}: item params read input(s) {unknown} that the item schema does not declare")
        for entry in param.items:
            if not entry.is_constant:
                _check_shape(entry, item, item_prefix)
        try:
            check_inputs_used(item, sources)
        except ValueError as error:
            raise ValueError(f"{where}: items of {param.source!r}: {error}") from None


def check_inputs_used(schema: dict[str, Any], used: set[str]) -> None:
    """Every leaf property of an input schema is sent or used (an array counts as one leaf)."""
    declared = set(input_paths(schema))
    leaves = {path for path in declared if not _has_children(path, declared)}
    unsent = sorted(path for path in leaves if not any(_covers(u, path) for u in used))
    if unsent:
        raise ValueError(f"input(s) {unsent} are declared but never sent or used")


# --- JSON Schema helpers shared by the checks above ---------------------------------------------


def schema_at(schema: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The schema of the property at a dotted path of an object schema, or None when undeclared."""
    for part in path.split("."):
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(properties, dict) or not isinstance(properties.get(part), dict):
            return None
        schema = properties[part]
    return schema


def input_paths(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of every property of an object schema, nested objects included."""
    paths: list[str] = []
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        paths.append(path)
        if isinstance(sub, dict) and sub.get("type") == "object":
            paths.extend(input_paths(sub, prefix=f"{path}."))
    return paths


def options_annotations(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted input path, option source) for every property annotated with `x-options`."""
    found: list[tuple[str, str]] = []
    for name, sub in schema.get("properties", {}).items():
        if isinstance(sub, dict):
            if "x-options" in sub:
                found.append((f"{prefix}{name}", sub["x-options"]))
            found.extend(options_annotations(sub, prefix=f"{prefix}{name}."))
    return found


def search_annotations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(top-level input property, "<search>.<field>") for every property annotated with `x-search`."""
    return [(name, sub["x-search"]) for name, sub in schema.get("properties", {}).items() if "x-search" in sub]


def timestamp_annotations(schema: dict[str, Any], parent: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str, str]]:
    """(path of the object, derived property, the sibling it reads) for every `x-timestamp` in an output
    schema's properties tree, outermost first; `()` is the record itself."""
    found: list[tuple[tuple[str, ...], str, str]] = []
    for name, sub in schema.get("properties", {}).items():
        if "x-timestamp" in sub:
            found.append((parent, name, sub["x-timestamp"]["from"]))
        found.extend(timestamp_annotations(sub, (*parent, name)))
    return found


def check_input_annotations(schema: dict[str, Any]) -> None:
    """`x-group` and `x-search` sit on top-level input properties; output-only keywords stay out."""
    for where, node, parent in _schema_nodes(schema):
        misplaced = [keyword for keyword in ("x-timestamp", "x-summary") if keyword in node]
        if parent is not schema:
            misplaced += [keyword for keyword in ("x-group", "x-search") if keyword in node]
        if misplaced:
            raise ValueError(f"input: at {where}: {misplaced[0]} is not allowed here ({_PLACEMENT[misplaced[0]]})")
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        if "x-group" in sub and sub["x-group"] != "additional":
            raise ValueError(f"input: at {name}: x-group must be 'additional', got {sub['x-group']!r}")
        if "x-group" in sub and name in required:
            raise ValueError(f"input: at {name}: a required input cannot be in the 'additional' x-group")
        target = sub.get("x-search")
        if target is not None and not (isinstance(target, str) and re.match(SEARCH_TARGET_PATTERN, target)):
            raise ValueError(f"input: at {name}: x-search must be '<search operation>.<output field>', got {target!r}")


def check_output_annotations(schema: dict[str, Any]) -> None:
    """`x-summary` at the output's root, `x-timestamp` on an object's property; input-only keywords stay out."""
    for where, node, parent in _schema_nodes(schema):
        for keyword in ("x-group", "x-search", "x-options"):
            if keyword in node:
                raise ValueError(f"output: at {where}: {keyword} is not allowed here ({_PLACEMENT[keyword]})")
        if "x-summary" in node:
            if where != "(root)":
                raise ValueError(f"output: at {where}: x-summary is not allowed here ({_PLACEMENT['x-summary']})")
            _check_summary(node)
        if "x-timestamp" in node:
            if parent is None or "[]" in where:
                raise ValueError(f"output: at {where}: x-timestamp is not allowed here ({_PLACEMENT['x-timestamp']})")
            _check_timestamp(where, node, parent)


_PLACEMENT = {
    "x-group": "only on a top-level input property",
    "x-search": "only on a top-level input property",
    "x-options": "only on input properties",
    "x-summary": "only at the root of an output schema",
    "x-timestamp": "only on a property of an object in an output schema, outside arrays",
}


def _check_summary(schema: dict[str, Any]) -> None:
    summary = schema["x-summary"]
    properties = schema.get("properties", {})
    if not isinstance(summary, list) or not 1 <= len(summary) <= 10 or not all(isinstance(n, str) for n in summary):
        raise ValueError("output: x-summary must list 1 to 10 top-level output property names")
    if len(set(summary)) != len(summary):
        raise ValueError("output: x-summary names a property twice")
    unknown = [name for name in summary if name not in properties]
    if unknown:
        raise ValueError(f"output: x-summary names {unknown}, which are not top-level output properties")


def _check_timestamp(where: str, schema: dict[str, Any], parent: dict[str, Any]) -> None:
    annotation = schema["x-timestamp"]
    name = where.rsplit(".", 1)[-1]
    if not isinstance(annotation, dict) or set(annotation) != {"from", "unit"} or annotation["unit"] != "epoch_ms":
        raise ValueError(f"output: at {where}: x-timestamp must be {{from: <sibling property>, unit: epoch_ms}}")
    source = parent.get("properties", {}).get(annotation["from"])
    if source is None or annotation["from"] == name:
        raise ValueError(f"output: at {where}: x-timestamp.from {annotation['from']!r} is not a sibling property")
    source_types = source.get("type")
    if "integer" not in (source_types if isinstance(source_types, list) else [source_types]):
        raise ValueError(f"output: at {where}: x-timestamp.from {annotation['from']!r} must be an integer property")
    if schema.get("type") != "string" or schema.get("format") != DERIVED_FORMAT:
        raise ValueError(f"output: at {where}: a derived timestamp must be {{type: string, format: date-time}}")
    if name in parent.get("required", []):
        raise ValueError(f"output: at {where}: a derived timestamp cannot be required (it is absent when "
                         f"{annotation['from']!r} is not a valid time)")


def _schema_nodes(schema: dict[str, Any], where: str = "(root)",
                  parent: dict[str, Any] | None = None) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(location, schema, the object schema it is a property of) for a schema and all below it."""
    nodes = [(where, schema, parent)]
    for name, sub in schema.get("properties", {}).items():
        nodes.extend(_schema_nodes(sub, name if where == "(root)" else f"{where}.{name}", schema))
    if isinstance(schema.get("items"), dict):
        nodes.extend(_schema_nodes(schema["items"], f"{where}[]", None))
    return nodes


def _has_children(path: str, paths: set[str]) -> bool:
    return any(other.startswith(f"{path}.") for other in paths)


def _covers(used: str, path: str) -> bool:
    return path == used or path.startswith(f"{used}.")
