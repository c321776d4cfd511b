"""A bare Litestar endpoint returning a constant JSON body: the framework's own ceiling here."""

from litestar import Litestar, get


@get("/api/answer", sync_to_thread=False)
def constant() -> dict:
    return {"query": "q", "product": None, "confident": True, "answers": []}


app = Litestar(route_handlers=[constant])
