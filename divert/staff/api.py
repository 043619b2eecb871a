from ninja import Router, Schema

router = Router(tags=["staff"])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    organization: str | None
    jurisdiction: str | None


@router.get("/me", response=MeOut, summary="Who the API thinks you are")
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "roles": sorted(user.roles),
        "organization": user.organization.name if user.organization_id else None,
        "jurisdiction": user.jurisdiction.name if user.organization_id else None,
    }
