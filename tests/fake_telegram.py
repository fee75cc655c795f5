"""A strict, in-memory Telegram Bot API for tests.

`FakeTelegram` is the core: it validates every request against the official Bot API
description (`bot_api_spec.min.json`, copied from ../shared/telegram) the way the real server
fails, keeps each chat's transcript, and can inject 429, 403 and 5xx answers. Two front ends
share it: `RecordingSession` (in-process, for `dp.feed_update` tests) and `serve()` (an aiohttp
server on 127.0.0.1 speaking the real wire format, for end-to-end tests of the bot process).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, InputFile
from aiohttp import web

SPEC = json.loads((Path(__file__).parent / "bot_api_spec.min.json").read_text(encoding="utf-8"))
BOT_ID = 7000000001
BOT_USERNAME = "nastavnik_test_bot"

_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>]+)?)*)\s*>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_SPECIAL = re.compile(r"[<>&]")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or ApiError as for malformed HTML."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            if not match:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: Unexpected '<' at byte offset {pos}"
                )
            closing, name = match[1] == "/", match[2].lower()
            if name not in _ALLOWED_TAGS:
                raise ApiError(
                    400,
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                    f"at byte offset {pos}",
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise ApiError(
                        400,
                        "Bad Request: can't parse entities: Can't find end tag corresponding "
                        f'to start tag "{stack[-1] if stack else name}"',
                    )
                stack.pop()
            else:
                stack.append(name)
            pos = match.end()
        elif char == "&":
            match = _ENTITY.match(text, pos)
            if not match:
                raise ApiError(
                    400,
                    "Bad Request: can't parse entities: Character '&' is reserved and must be "
                    f"escaped at byte offset {pos}",
                )
            out.append(html.unescape(match[0]))
            pos = match.end()
        elif char == ">":
            raise ApiError(
                400,
                "Bad Request: can't parse entities: Character '>' is reserved and must be "
                f"escaped at byte offset {pos}",
            )
        else:  # a run of plain text up to the next markup character
            special = _SPECIAL.search(text, pos)
            end = special.start() if special else len(text)
            out.append(text[pos:end])
            pos = end
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"',
        )
    return "".join(out)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Fault:
    method: str
    code: int
    description: str
    retry_after: int | None = None
    times: int = 1


@dataclass
class FakeTelegram:
    token: str = "123456789:AAHfakefakefakefakefakefakefakefake1"
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    chats: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    rate_limit_per_second: float | None = None
    outage_until: float = 0.0  # time.monotonic() before which every request gets 502
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)
    _answered_queries: set[str] = field(default_factory=set)
    # Tests read everything back; the bench keeps only the last few messages of each chat and
    # no request log, so that a 10,000-teacher run does not measure the fake's memory.
    history: int | None = None

    uploads: list[tuple[int, str, bytes]] = field(default_factory=list)
    received_at: list[float] = field(default_factory=list)  # time.time() of each of requests

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._sent_times: list[float] = []
        self._users: dict[int, dict[str, Any]] = {}
        self._closed = False

    def close(self) -> None:
        """Release held long polls so the server can shut down at once."""
        self._closed = True
        self._new_update.set()

    # ----- the test's side: people writing to the bot -----

    def user(self, user_id: int, first_name: str = "Учитель") -> dict[str, Any]:
        return self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": first_name}
        )

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        extra: dict[str, Any] | None = None,
        edited: bool = False,
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = self.user(user_id)["first_name"]
        else:
            chat["title"] = "Учительская"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message.update(extra or {})
        if chat_type == "private":
            self._remember(chat_id, message)
        key = "edited_message" if edited else "message"
        if edited:
            message["edit_date"] = int(time.time())
        return {"update_id": next(self._update_ids), key: message}

    def callback_update(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user(user_id),
                "chat_instance": str(message["chat"]["id"]),
                "message": message,
                "data": data,
            },
        }

    def queue(self, update: dict[str, Any]) -> None:
        """For the end-to-end server: the update waits for the bot's getUpdates."""
        self._updates.append(update)
        self._new_update.set()

    # ----- what a person sees -----

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.chats.get(chat_id, []) if m["from"]["id"] == BOT_ID]

    def last(self, chat_id: int) -> dict[str, Any]:
        messages = self.bot_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    def buttons(self, message: dict[str, Any]) -> dict[str, str]:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return {b["text"]: b.get("callback_data", b.get("url", "")) for row in rows for b in row}

    def sent_count(self, method: str = "sendMessage") -> int:
        return sum(1 for name, _ in self.requests if name == method)

    # ----- the bot's side: the API -----

    async def handle(
        self, method: str, raw: dict[str, Any], uploads: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        try:
            result = await self._call(method, raw)
            for name, content in (uploads or {}).items():
                self.uploads.append((int(raw.get("chat_id", 0)), name, content))
        except ApiError as error:
            return error.code, error.body()
        return 200, {"ok": True, "result": result}

    async def _call(self, method: str, raw: dict[str, Any]) -> Any:
        if time.monotonic() < self.outage_until:
            raise ApiError(502, "Bad Gateway")
        spec = SPEC["methods"].get(method)

        if spec is None:
            raise ApiError(404, "Not Found")
        params = self._validate(spec, raw)
        if method != "getUpdates" and self.history is None:
            self.requests.append((method, params))
            self.received_at.append(time.time())
        self._inject_faults(method, params)
        handler: Callable[[dict[str, Any]], Any] | None = getattr(self, f"_m_{method}", None)
        if handler is None:
            return True
        result = handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    def _validate(self, spec: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
        fields = {f["name"]: f for f in spec.get("fields", [])}
        for name in raw:
            if name not in fields:
                raise ApiError(400, f"Bad Request: unknown parameter {name}")
        params: dict[str, Any] = {}
        for name, value in raw.items():
            types = fields[name]["types"]
            params[name] = value
            if isinstance(value, str) and types != ["String"]:
                try:
                    params[name] = json.loads(value)
                except json.JSONDecodeError:
                    if "String" not in types and "InputFile" not in types:
                        raise ApiError(400, f"Bad Request: can't parse {name}") from None
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in params:
                if name == "text":
                    raise ApiError(400, "Bad Request: message text is empty")
                raise ApiError(400, f'Bad Request: parameter "{name}" is required')
        if "text" in params and "callback_query_id" not in params:
            params["plain_text"] = self._check_text(params, "text", 4096)
        if "caption" in params:
            params["plain_text"] = self._check_text(params, "caption", 1024)
        if "callback_query_id" in params and _utf16_len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    if not button.get("text"):
                        raise ApiError(400, "Bad Request: text buttons are unallowed")
        return params

    def _check_text(self, params: dict[str, Any], key: str, limit: int) -> str:
        text = str(params[key])
        plain = parse_html(text) if params.get("parse_mode") == "HTML" else text
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(plain) > limit:
            raise ApiError(400, "Bad Request: message is too long")
        return plain

    def _inject_faults(self, method: str, params: dict[str, Any]) -> None:
        for fault in list(self.faults):
            if fault.method in (method, "*"):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                raise ApiError(fault.code, fault.description, fault.retry_after)
        if method not in ("sendMessage", "sendDocument", "sendPhoto"):
            return
        if self.rate_limit_per_second is not None:
            now = time.monotonic()
            self._sent_times = [t for t in self._sent_times if now - t < 1.0]
            if len(self._sent_times) >= self.rate_limit_per_second:
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            self._sent_times.append(now)
        chat_id = params.get("chat_id")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _bot_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        if chat_id > 0:
            chat["first_name"] = self.user(chat_id)["first_name"]
        else:
            chat["title"] = "Учительская"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Наставник",
                "username": BOT_USERNAME,
            },
        }
        if "plain_text" in params and "caption" not in params:
            message["text"] = params["plain_text"]
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        self._remember(chat_id, message)
        return message

    def _remember(self, chat_id: int, message: dict[str, Any]) -> None:
        messages = self.chats.setdefault(chat_id, [])
        messages.append(message)
        if self.history is not None and len(messages) > self.history:
            del messages[0]

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        for message in self.chats.get(params.get("chat_id", 0), []):
            if message["message_id"] == params.get("message_id"):
                if message["from"]["id"] != BOT_ID:
                    raise ApiError(400, "Bad Request: message can't be edited")
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Наставник",
            "username": BOT_USERNAME,
            "can_join_groups": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and not self._closed:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), float(params.get("timeout", 0)))
            except TimeoutError:
                return []
            if time.monotonic() < self.outage_until:
                raise ApiError(502, "Bad Gateway")  # the server went down during the long poll

        limit = int(params.get("limit", 100))
        return [u for u in self._updates if u["update_id"] >= offset][:limit]

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_message(int(params["chat_id"]), params)

    def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(int(params["chat_id"]), params)
        message["document"] = {
            "file_id": "doc",
            "file_unique_id": "doc",
            "file_name": str(params["document"]),
        }
        if "plain_text" in params:
            message["caption"] = params["plain_text"]
        return message

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(int(params["chat_id"]), params)
        message["photo"] = [
            {"file_id": "photo", "file_unique_id": "photo", "width": 1, "height": 1}
        ]
        if "plain_text" in params:
            message["caption"] = params["plain_text"]
        return message

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = params.get("reply_markup")
        if message.get("text") == params["plain_text"] and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = params["plain_text"]
        if isinstance(markup, dict):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if params["callback_query_id"] in self._answered_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if self.history is None:
            self.callback_answers.append(params)
        self._answered_queries.add(params["callback_query_id"])
        return True

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        key = f"{scope['type']}:{scope.get('chat_id', '')}"
        self.commands[key] = params["commands"]
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return []


class RecordingSession(BaseSession):
    """An aiogram session that answers from a FakeTelegram instead of the network."""

    def __init__(self, fake: FakeTelegram) -> None:
        super().__init__()
        self.fake = fake

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        raw: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                raw[key] = prepared
        uploads: dict[str, bytes] = {}
        for attach_key, upload in files.items():
            name = upload.filename or attach_key
            for field_name, value in raw.items():
                if value == f"attach://{attach_key}":
                    raw[field_name] = name
            uploads[name] = upload.data if isinstance(upload, BufferedInputFile) else b""
        status, body = await self.fake.handle(method.__api_method__, raw, uploads)
        response = self.check_response(bot, method, status, json.dumps(body))
        return response.result  # type: ignore[return-value]

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""


# ----- the wire: an aiohttp server on 127.0.0.1 for end-to-end tests -----


async def serve(fake: FakeTelegram, port: int = 0) -> tuple[web.AppRunner, str]:
    """Start the fake Bot API; returns the runner and the base URL for `api_server`."""

    async def endpoint(request: web.Request) -> web.Response:
        if request.match_info["token"] != fake.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, bytes] = {}
        if request.content_type == "application/json":
            raw.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    raw[key] = value
                elif isinstance(value, web.FileField):
                    uploads[value.filename] = value.file.read()
            for key, value in list(raw.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    raw[key] = next(iter(uploads), value)
        status, body = await fake.handle(request.match_info["method"], raw, uploads)
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", endpoint)
    app.on_shutdown.append(lambda _: _close(fake))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    host, bound = runner.addresses[0][:2]
    return runner, f"http://{host}:{bound}"


async def _close(fake: FakeTelegram) -> None:
    fake.close()


async def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Poll a condition on the fake's state while the bot process works."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.02)
