"""A trainer's side of OpenEnv's protocol, written by ClawGym from the protocol itself (not OpenEnv's
code): one WebSocket session per episode at /ws, messages {"type": "reset"|"step"|"state"|"close",
"data": ...}, answers {"type": "observation"|"state"|"error", "data": ...}; tool actions
{"type": "call_tool", "tool_name", "arguments"} and {"type": "list_tools"}. Python 3 with the
`websockets` package only (Debian's python3-websockets).

Usage: python3 openenv_client.py <scenario> <base_url> <token> [json args]
Prints one JSON object on stdout with what the scenario saw.
"""
import asyncio
import json
import sys
import urllib.parse
import urllib.request

import websockets


class ServerError(RuntimeError):
    def __init__(self, data):
        super().__init__(f"{data.get('message')} (code: {data.get('code')})")
        self.data = data


class Session:
    """One environment session: a WebSocket connection."""

    def __init__(self, base_url, token):
        self.url = base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/ws"
        self.token = token
        self.ws = None

    async def __aenter__(self):
        # Credentials in the URL (as OpenEnv's client passes them on) go as Basic; else the token as Bearer.
        in_url = urllib.parse.urlsplit(self.url).password is not None
        headers = {"Authorization": f"Bearer {self.token}"} if self.token and not in_url else {}
        self.ws = await websockets.connect(self.url, extra_headers=headers, max_size=64 << 20, open_timeout=30)
        return self

    async def __aexit__(self, *exc):
        if self.ws is not None:
            try:
                await self.ws.send(json.dumps({"type": "close"}))
            except Exception:
                pass
            await self.ws.close()

    async def _ask(self, message):
        try:
            await self.ws.send(json.dumps(message))
        except websockets.ConnectionClosed:
            pass  # what the server said before closing is still to be read
        answer = json.loads(await self.ws.recv())
        if answer.get("type") == "error":
            raise ServerError(answer.get("data", {}))
        return answer

    async def reset(self, **data):
        return (await self._ask({"type": "reset", "data": data}))["data"]

    async def step(self, action):
        return (await self._ask({"type": "step", "data": action}))["data"]

    async def state(self):
        return (await self._ask({"type": "state"}))["data"]

    async def call_tool(self, name, **arguments):
        return await self.step({"type": "call_tool", "tool_name": name, "arguments": arguments})

    async def list_tools(self):
        return (await self.step({"type": "list_tools"}))["observation"]["tools"]


def http_get(base_url, path, token):
    url = urllib.parse.urlsplit(base_url)
    plain = urllib.parse.urlunsplit((url.scheme, url.hostname + (f":{url.port}" if url.port else ""), url.path, "", ""))
    req = urllib.request.Request(plain.rstrip("/") + path, headers={"Authorization": f"Bearer {url.password or token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


async def basic(base_url, token, args):
    """reset, call_tool write, finish: the reward and what state and schema say."""
    out = {}
    async with Session(base_url, token) as env:
        reset = await env.reset(task_id=args["task_id"])
        out["reset"] = reset
        out["tools"] = [t["name"] for t in await env.list_tools()]
        out["state_before"] = await env.state()
        step = await env.call_tool("write", path=args["path"], content=args["content"])
        out["write"] = step
        out["state_after_write"] = await env.state()
        out["finish"] = await env.step({"type": "finish"})
        out["state_done"] = await env.state()
        try:
            await env.call_tool("read", path=args["path"])
            out["step_after_done"] = None
        except ServerError as e:
            out["step_after_done"] = e.data
    async with Session(base_url, token) as env:
        await env.reset(task_id=args["task_id"])
        out["nop"] = await env.step({"type": "finish"})
    out["schema"] = http_get(base_url, "/schema", token)
    out["metadata"] = http_get(base_url, "/metadata", token)
    out["health"] = http_get(base_url, "/health", token)
    return out


async def one_episode(base_url, token, plan, steps):
    async with Session(base_url, token) as env:
        extra = {k: plan[k] for k in ("group_id", "group_size") if k in plan}
        reset = await env.reset(task_id=plan["task_id"], **extra)
        calls = list(plan["calls"])
        # Every episode takes `steps` steps: its own calls, then harmless ones.
        while len(calls) < steps:
            calls.append({"tool_name": "exec", "arguments": {"command": "ls -la && du -s ."}})
        for c in calls[:steps]:
            obs = await env.step({"type": "call_tool", "tool_name": c["tool_name"], "arguments": c["arguments"]})
            if obs["observation"].get("error"):
                raise RuntimeError(f"tool error: {obs['observation']['error']}")
        final = await env.step({"type": "finish"})
        state = await env.state()
        return {"task_id": plan["task_id"], "kind": plan["kind"], "reward": final["reward"], "done": final["done"],
                "episode_id": reset["observation"]["episode_id"], "step_count": state["step_count"]}


async def concurrent(base_url, token, args):
    """Many sessions at once, each a plan of tool calls, all finished: their rewards."""
    results = await asyncio.gather(*(one_episode(base_url, token, p, args["steps"]) for p in args["plans"]))
    return {"episodes": results}


async def hold(base_url, token, args):
    """Open an episode, take a step, then wait until the server goes away: how the socket was closed."""
    async with Session(base_url, token) as env:
        await env.reset(task_id=args["task_id"])
        await env.call_tool("exec", command=args["command"], background=True)
        print(json.dumps({"ready": True}), flush=True)
        try:
            while True:
                await env.ws.recv()
        except websockets.ConnectionClosed as e:
            return {"code": e.code, "reason": e.reason}


async def capacity(base_url, token, args):
    """One session more than the server has slots for: the error it gets."""
    sessions = [Session(base_url, token) for _ in range(args["n"])]
    for s in sessions:
        await s.__aenter__()
    out = {"errors": [], "ok": 0}
    for s in sessions:
        try:
            await s.reset(task_id=args["task_id"])
            out["ok"] += 1
        except ServerError as e:
            out["errors"].append(e.data)
        except websockets.ConnectionClosed as e:
            out["errors"].append({"closed": e.code})
    for s in sessions:
        try:
            await s.__aexit__()
        except Exception:
            pass
    return out


async def script(base_url, token, args):
    """reset with args["reset"], then each action of args["actions"]: every answer."""
    async with Session(base_url, token) as env:
        out = [await env.reset(**args["reset"])]
        for action in args["actions"]:
            out.append(await env.step(action))
        return {"answers": out}


SCENARIOS = {"basic": basic, "concurrent": concurrent, "hold": hold, "capacity": capacity, "script": script}

if __name__ == "__main__":
    scenario, base_url, token = sys.argv[1], sys.argv[2], sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else json.load(sys.stdin)
    print(json.dumps(asyncio.run(SCENARIOS[scenario](base_url, token, args))), flush=True)
