"""A small capture connector built on Estuary's Python CDK (estuary-cdk on PyPI), as a real protocol
peer for capstan's tests: one resource, `items`, backfilled in pages of 1000 documents {id, name}.
Config: {"count": N}. It exits 0 once the backfill is done."""
import asyncio
from typing import Any, AsyncGenerator, Awaitable, Callable

from pydantic import BaseModel

from estuary_cdk.capture import BaseCaptureConnector, Request, Task, common, request, response
from estuary_cdk.capture.common import (BaseDocument, ConnectorState, LogCursor, PageCursor, Resource,
                                        ResourceConfig, ResourceState, open_binding)
from estuary_cdk.flow import CaptureBinding, ConnectorSpec


class EndpointConfig(BaseModel):
    count: int = 3


class Item(BaseDocument):
    id: int
    name: str


def items(config: EndpointConfig) -> Resource:
    async def fetch_page(log, page: PageCursor, cutoff: LogCursor) -> AsyncGenerator[Any, None]:
        start = page if isinstance(page, int) else 0
        end = min(start + 1000, config.count)
        for i in range(start, end):
            yield Item(id=i, name=f"item-{i}")
        if end < config.count:
            yield end

    def open(binding: CaptureBinding, index: int, state: ResourceState, task: Task, all_bindings) -> None:
        open_binding(binding, index, state, task, fetch_page=fetch_page)

    return Resource(
        name="items", key=["/id"], model=Item, open=open,
        initial_state=ResourceState(backfill=ResourceState.Backfill(cutoff=config.count, next_page=None)),
        initial_config=ResourceConfig(name="items"), schema_inference=False,
    )


class Connector(BaseCaptureConnector[EndpointConfig, ResourceConfig, ConnectorState[ResourceState]]):
    def request_class(self):
        return Request[EndpointConfig, ResourceConfig, ConnectorState[ResourceState]]

    async def spec(self, log, _: request.Spec) -> ConnectorSpec:
        return ConnectorSpec(configSchema=EndpointConfig.model_json_schema(),
                             resourceConfigSchema=ResourceConfig.model_json_schema(),
                             documentationUrl="https://example.com/cdk-items",
                             resourcePathPointers=ResourceConfig.PATH_POINTERS)

    async def discover(self, log, discover: request.Discover) -> response.Discovered:
        return common.discovered([items(discover.config)])

    async def validate(self, log, validate: request.Validate) -> response.Validated:
        return common.validated(common.resolve_bindings(validate.bindings, [items(validate.config)]))

    async def open(self, log, open: request.Open) -> tuple[response.Opened, Callable[[Task], Awaitable[None]]]:
        return common.open(open, common.resolve_bindings(open.capture.bindings, [items(open.capture.config)]))


if __name__ == "__main__":
    asyncio.run(Connector().serve())
