"""The effect vocabulary as JSON objects of the loader protocol."""

from bridge.effects import Call, Dispatch, Navigate, Push, Store


class TestEffectShapes:
    def test_every_op(self):
        """Each effect serialises with its op, its sink and its own fields."""
        assert Push(target="dataLayer", value={"a": 1}, sink="s").to_dict() == {
            "op": "push", "sink": "s", "target": "dataLayer", "value": {"a": 1}}
        assert Store(key="k", value="v").to_dict() == {"op": "store", "sink": "", "key": "k", "value": "v"}
        assert Dispatch(name="oncehub:booking", detail={}).to_dict()["op"] == "dispatch"
        assert Call(path="a.b", args=[1]).to_dict() == {"op": "call", "sink": "", "path": "a.b", "args": [1]}
        assert Navigate(url="https://s.example/", timeout_ms=1500).to_dict() == {
            "op": "navigate", "sink": "", "url": "https://s.example/", "timeout_ms": 1500}
