"""The methodological library: curators (for their school) and coordinators (for the district)
add files and links by topic and audience; participants browse, search, and a mentee is offered
what matches the difficulties named in the questionnaire."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.permissions import Action, Actor, can
from bot.forms.catalog import COMPETENCE_AREAS
from storage.forms import FormSessionsRepo
from storage.library import LibraryRepo, Material
from storage.models import FormStatus, LibraryAudience, MaterialKind, Organization, Role
from storage.organizations import OrganizationsRepo

log = logging.getLogger(__name__)

# What a bot may download from Telegram (getFile): a larger file could not be checked or kept.
MAX_FILE_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "ppt",
        "pptx",
        "odp",
        "xls",
        "xlsx",
        "ods",
        "jpg",
        "jpeg",
        "png",
        "mp4",
    }
)
TITLE_LIMIT = 200
_URL = re.compile(r"https?://[^\s<>\"]{3,2000}", re.IGNORECASE)
TOPICS = tuple(option.id for option in COMPETENCE_AREAS)
AUDIENCES = tuple(LibraryAudience)


class LibraryRefusal(StrEnum):
    TOO_LARGE = "too_large"
    BAD_TYPE = "bad_type"
    BAD_LINK = "bad_link"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    BAD_TITLE = "bad_title"
    FORBIDDEN_DELETE = "forbidden_delete"  # neither its uploader nor a curator of its school
    ATTACHED = "attached"  # already attached to this plan item


@dataclass(frozen=True)
class Opened:
    material: Material
    may_delete: bool


@dataclass(frozen=True)
class Upload:
    kind: MaterialKind
    file_id: str | None = None
    file_name: str | None = None
    url: str | None = None


def check_file(file_id: str, file_name: str | None, size: int | None) -> Upload | LibraryRefusal:
    if size is not None and size > MAX_FILE_BYTES:
        return LibraryRefusal.TOO_LARGE
    extension = (file_name or "").rsplit(".", 1)[-1].lower() if "." in (file_name or "") else ""
    if extension not in ALLOWED_EXTENSIONS:
        return LibraryRefusal.BAD_TYPE
    return Upload(MaterialKind.FILE, file_id=file_id, file_name=file_name)


def check_link(text: str) -> Upload | LibraryRefusal:
    found = _URL.fullmatch(text.strip())
    return Upload(MaterialKind.LINK, url=found[0]) if found else LibraryRefusal.BAD_LINK


def audiences_of(roles: set[Role]) -> set[LibraryAudience]:
    """What a person may read: a mentor the mentors' and everyone's, a mentee likewise; a
    curator or coordinator everything."""
    seen = {LibraryAudience.EVERYONE}
    if roles & {Role.CURATOR, Role.COORDINATOR, Role.ADMIN}:
        return set(LibraryAudience)
    if Role.MENTOR in roles:
        seen.add(LibraryAudience.MENTORS)
    if Role.MENTEE in roles:
        seen.add(LibraryAudience.MENTEES)
    return seen


class LibraryService:
    def __init__(
        self,
        library: LibraryRepo,
        organizations: OrganizationsRepo,
        sessions: FormSessionsRepo,
        clock: Clock,
    ) -> None:
        self._library = library
        self._organizations = organizations
        self._sessions = sessions
        self._clock = clock

    async def may_add(self, actor: Actor, district_id: int, school_id: int) -> bool:
        """A school's curator to its library; a coordinator to the district's (school 0)."""
        if school_id:
            school = await self._organizations.school(school_id)
            return (
                school is not None
                and school.district_id == district_id
                and can(
                    actor, Action.MANAGE_LIBRARY, district_id=district_id, organization_id=school_id
                )
            )
        return district_id in actor.district_ids(Role.COORDINATOR)

    async def add(
        self,
        actor: Actor,
        district_id: int,
        school_id: int,
        upload: Upload,
        title: str,
        topic: int,
        audience: int,
    ) -> Material | LibraryRefusal:
        if not await self.may_add(actor, district_id, school_id):
            return LibraryRefusal.FORBIDDEN
        title = " ".join(title.split())
        if not title or len(title) > TITLE_LIMIT:
            return LibraryRefusal.BAD_TITLE
        if not (0 <= topic < len(TOPICS) and 0 <= audience < len(AUDIENCES)):
            return LibraryRefusal.NOT_FOUND
        material_id = await self._library.add(
            district_id,
            school_id or None,
            title,
            TOPICS[topic],
            AUDIENCES[audience],
            upload.kind,
            upload.file_id,
            upload.file_name,
            upload.url,
            actor.telegram_id,
            self._clock.now(),
        )
        log.info("library material added material_id=%s district_id=%s", material_id, district_id)
        found = await self._library.get(material_id)
        assert found is not None
        return found

    async def visible(self, actor: Actor) -> list[Material]:
        """Every material the person may read: their schools' and their districts'."""
        places: list[tuple[int, int]] = []
        for grant in actor.grants:
            if grant.organization_id is not None:
                school = await self._organizations.school(grant.organization_id)
                if school is not None:
                    places.append((school.district_id, school.id))
            elif grant.district_id is not None:
                places.append((grant.district_id, -1))  # the district's own materials
        seen = audiences_of(set(actor.roles))
        materials = await self._library.visible(sorted(set(places)))
        return [m for m in materials if m.audience in seen]

    async def by_topic(self, actor: Actor, topic: int) -> list[Material]:
        if not 0 <= topic < len(TOPICS):
            return []
        return [m for m in await self.visible(actor) if m.topic == TOPICS[topic]]

    async def search(self, actor: Actor, query: str) -> list[Material]:
        words = query.casefold().split()
        labels = {option.id: option.label.casefold() for option in COMPETENCE_AREAS}
        return [
            m
            for m in await self.visible(actor)
            if words and all(w in f"{m.title.casefold()} {labels.get(m.topic, '')}" for w in words)
        ]

    async def for_difficulties(self, actor: Actor) -> list[Material]:
        """For a mentee: the materials on the difficulties named in their questionnaire."""
        if actor.person is None:
            return []
        named: set[str] = set()
        for school_id in actor.school_ids(Role.MENTEE):
            loaded = await self._sessions.load_latest(
                actor.person.id, "mentee_questionnaire", school_id
            )
            if loaded is None or loaded.session.status is not FormStatus.SUBMITTED:
                continue
            named |= {str(v) for v in loaded.answers.get("difficulties") or []}
        return [m for m in await self.visible(actor) if m.topic in named]

    async def material(self, actor: Actor, material_id: int) -> Opened | LibraryRefusal:
        found = [m for m in await self.visible(actor) if m.id == material_id]
        if not found:
            return LibraryRefusal.NOT_FOUND
        return Opened(found[0], await self._may_delete(actor, found[0]))

    async def _may_delete(self, actor: Actor, material: Material) -> bool:
        """Its uploader, the curator of its school, the coordinator of its district."""
        return material.created_by == actor.telegram_id or await self.may_add(
            actor, material.district_id, material.organization_id or 0
        )

    async def delete(self, actor: Actor, material_id: int) -> Material | LibraryRefusal:
        """Gone from the library and from every program plan it was attached to."""
        found = await self.material(actor, material_id)
        if isinstance(found, LibraryRefusal):
            return found
        if not found.may_delete:
            return LibraryRefusal.FORBIDDEN_DELETE
        if not await self._library.remove(material_id):
            return LibraryRefusal.NOT_FOUND  # deleted a moment ago (a double tap)
        log.info("library material deleted material_id=%s", material_id)
        return found.material

    async def attach(
        self, actor: Actor, school: Organization, pair_id: int, item: int, material_id: int
    ) -> Material | LibraryRefusal:
        """A pair member attaches a material to an item of the program's plan: one the
        person may read and of the pair's own school or district."""
        found = await self.material(actor, material_id)
        if isinstance(found, LibraryRefusal) or found.material.district_id != school.district_id:
            return LibraryRefusal.NOT_FOUND
        if found.material.organization_id not in (None, school.id) or actor.person is None:
            return LibraryRefusal.NOT_FOUND
        if not await self._library.attach(
            pair_id, item, material_id, actor.person.id, self._clock.now()
        ):
            return LibraryRefusal.ATTACHED
        log.info("material attached pair_id=%s material_id=%s", pair_id, material_id)
        return found.material

    async def attached(self, pair_id: int) -> list[tuple[int, Material]]:
        return await self._library.attached(pair_id)
