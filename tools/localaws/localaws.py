#!/usr/bin/env python3
"""localaws: the project's local stand-in for AWS Organizations, Account and STS.

It runs moto's server application (in this process, on 127.0.0.1) behind a thin
"fidelity layer" that makes the responses look like real AWS where moto differs,
and it seeds organizations into a running server.

Subcommands:
  serve  --host 127.0.0.1 --port 0 [--auth] [--exit-on-stdin-eof] [--verbose]
  seed   --endpoint URL --spec SPEC.json --out DIR
  reset  --endpoint URL

See README.md next to this file for the list of rules and the AWS documents
that they come from. Only the Python 3.11 standard library, moto, boto3/botocore
and werkzeug are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sys
import threading
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from typing import Any, Callable, Iterable

PARTITION = "aws"
DEFAULT_REGION = "us-east-1"
ORGS_TARGET_PREFIX = "AWSOrganizationsV20161128."
ACCOUNT_SERVICE_PRINCIPAL = "account.amazonaws.com"
ACCESS_ROLE_NAME = "OrganizationAccountAccessRole"
BASE_ACCOUNT_ID = "123456789012"  # moto's default account; holds the "base" user
BASE_USER_NAME = "localaws-base"
ADMIN_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)
# REST-JSON paths of the Account API that the layer serves (moto knows the first three).
ACCOUNT_PATHS = {
    "/putAlternateContact": "PutAlternateContact",
    "/getAlternateContact": "GetAlternateContact",
    "/deleteAlternateContact": "DeleteAlternateContact",
    "/getContactInformation": "GetContactInformation",
    "/putContactInformation": "PutContactInformation",
}
# Authentication failures: moto answers every service with query-protocol XML
# (SignatureDoesNotMatch / InvalidClientTokenId). AWS's JSON-protocol services (Organizations,
# Account) answer with these JSON error codes instead (rule E1; see README).
AUTH_ERRORS = {
    "SignatureDoesNotMatch": (
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ),
    "InvalidClientTokenId": ("UnrecognizedClientException", "The security token included in the request is invalid."),
}
AUTH_CODES = {code for code, _ in AUTH_ERRORS.values()}
# Organizations operations open to any account / to any member of an organization (rule O5).
ORGS_ANY_ACCOUNT_OPS = {"CreateOrganization", "AcceptHandshake", "DeclineHandshake",
                        "DescribeHandshake", "ListHandshakesForAccount"}
ORGS_ANY_MEMBER_OPS = {"DescribeOrganization", "LeaveOrganization", "DescribeEffectivePolicy"}
STANDALONE_ONLY = "The management account can only be managed using the standalone context from the management account."


# --------------------------------------------------------------------------------------
# Part 1: runtime patches of moto (this process only; installed files stay untouched)
# --------------------------------------------------------------------------------------

def _caller_arn(account_id: str, access_key: str, region: str) -> str:
    from moto.sts.models import sts_backends

    return sts_backends[account_id][PARTITION].get_caller_identity(access_key, region)[1]


def _org_of(account_id: str):
    """Return (organizations backend of the management account, org) for any account in an org."""
    from moto.organizations.models import organizations_backends

    own = organizations_backends[account_id][PARTITION]
    if own.org is not None:
        return own, own.org
    if account_id in organizations_backends.master_accounts:
        master_id, partition = organizations_backends.master_accounts[account_id]
        backend = organizations_backends[master_id][partition]
        if backend.org is not None:
            return backend, backend.org
    return None, None


def patch_moto(auth: bool) -> None:
    from moto.account import responses as account_responses
    from moto.account import urls as account_urls
    from moto.account.models import account_backends
    from moto.core.exceptions import AccessDeniedError, JsonRESTError
    from moto.core.responses import ActionResult, EmptyResult
    from moto.iam.models import iam_backends
    from moto.organizations import models as org_models
    from moto.sts import responses as sts_responses

    # Rule D1 - RegisterDelegatedAdministrator accepts account.amazonaws.com.
    # AWS: "Enable a delegated admin account for AWS Account Management"
    # (accounts/latest/reference/using-orgs-delegated-admin.html); moto knows six principals only.
    supported = org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES
    if ACCOUNT_SERVICE_PRINCIPAL not in supported:
        supported.append(ACCOUNT_SERVICE_PRINCIPAL)

    AccountResponse = account_responses.AccountResponse

    def access_denied(self, detail: str = "") -> JsonRESTError:
        arn = _caller_arn(self.current_account, self.get_access_key(), self.region)
        msg = f"User: {arn} is not authorized to perform: account:{self._get_action()}"
        if detail:
            msg += f" ({detail})"
        err = JsonRESTError("AccessDeniedException", msg)
        err.code = 403
        return err

    # Rule A1/A2 - an AccountId in an Account API call is honoured only for an organization
    # member, called from the management account or the account.amazonaws.com delegated
    # admin, with trusted access enabled; the management account may not name itself.
    # AWS: AccountId member documentation of every Account operation (botocore
    # data/account/2021-02-01/service-2.json) and "Enable trusted access for AWS Account
    # Management" (accounts/latest/reference/using-orgs-trusted-access.html).
    def _get_account_id(self) -> str:
        target = self._get_param("AccountId")
        if not target:
            return self.current_account  # standalone context: always allowed
        caller = self.current_account
        backend, org = _org_of(caller)
        if org is None or org.feature_set != "ALL":
            raise access_denied(self)
        trusted = any(s["ServicePrincipal"] == ACCOUNT_SERVICE_PRINCIPAL for s in backend.services)
        is_mgmt = caller == org.master_account_id
        is_admin = any(
            a.account.id == caller and ACCOUNT_SERVICE_PRINCIPAL in a.services for a in backend.admins
        )
        if not trusted or not (is_mgmt or is_admin):
            raise access_denied(self)
        if target == org.master_account_id:
            raise access_denied(self, STANDALONE_ONLY)
        if not any(a.id == target for a in backend.accounts):
            raise access_denied(self)
        return target

    AccountResponse._get_account_id = _get_account_id

    # Rule A6 - DeleteAlternateContact of a contact that is not set fails with
    # ResourceNotFoundException, as GetAlternateContact does; moto deletes silently.
    # AWS: botocore data/account/2021-02-01/service-2.json lists ResourceNotFoundException
    # among DeleteAlternateContact's errors.
    from moto.account.exceptions import UnspecifiedContactType
    from moto.account.models import AccountBackend

    original_delete = AccountBackend.delete_alternate_contact

    def delete_alternate_contact(self, alternate_contact_type: str) -> None:
        if alternate_contact_type not in self._alternate_contacts:
            raise UnspecifiedContactType
        original_delete(self, alternate_contact_type)

    AccountBackend.delete_alternate_contact = delete_alternate_contact

    # Rule A3 - Get/PutContactInformation exist (moto lacks them; same AccountId rules).
    def get_contact_information(self) -> ActionResult:
        account_id = self._get_account_id()
        store = getattr(account_backends[account_id][self.partition], "_localaws_contact", None)
        if not store:
            raise JsonRESTError(
                "ResourceNotFoundException", "No contact information found for this account."
            )
        return ActionResult(result={"ContactInformation": store})

    def put_contact_information(self) -> EmptyResult:
        account_id = self._get_account_id()
        info = self._get_param("ContactInformation") or {}
        missing = [
            k for k in ("FullName", "AddressLine1", "City", "PostalCode", "CountryCode", "PhoneNumber")
            if not info.get(k)
        ]
        if missing:
            raise JsonRESTError("ValidationException", f"Missing required field(s): {', '.join(missing)}")
        account_backends[account_id][self.partition]._localaws_contact = dict(info)
        return EmptyResult()

    AccountResponse.get_contact_information = get_contact_information
    AccountResponse.put_contact_information = put_contact_information
    account_urls.url_paths.setdefault("{0}/getContactInformation$", AccountResponse.dispatch)
    account_urls.url_paths.setdefault("{0}/putContactInformation$", AccountResponse.dispatch)

    # Rule S1 - AssumeRole needs an existing role (always) whose trust policy names the
    # caller or the caller's account (when --auth is on). moto assumes any ARN.
    # AWS: STS API reference, AssumeRole ("the role's trust policy ... must allow").
    STSResponse = sts_responses.TokenResponse
    original_assume_role = STSResponse.assume_role

    def assume_role(self) -> ActionResult:
        role_arn = self._get_param("RoleArn") or ""
        m = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$", role_arn)
        caller_arn = _caller_arn(self.current_account, self.get_access_key(), self.region)
        denied = AccessDeniedError(caller_arn, f"sts:AssumeRole on resource: {role_arn}")
        if not m:
            return original_assume_role(self)  # let moto validate a malformed ARN
        try:
            role = iam_backends[m.group(1)][PARTITION].get_role(m.group(2))
        except Exception:
            raise denied
        if auth and not _trust_allows(role.assume_role_policy_document, caller_arn, self.current_account):
            raise denied
        return original_assume_role(self)

    STSResponse.assume_role = assume_role

    # Rule O5 - who may call which Organizations operation. moto gives every account its
    # own (usually empty) backend, so a member account's ListAccounts returned [] instead of
    # failing, and a delegated administrator could not read its organization.
    # AWS: Organizations API reference, each operation's "This operation can be called only
    # from the organization's management account or by a member account that is a
    # delegated administrator"; AWSOrganizationsNotInUseException for accounts outside orgs.
    from moto.organizations import responses as org_responses
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException, OrganizationsClientError

    def organizations_backend(self):
        own = org_models.organizations_backends[self.current_account][self.partition]
        action = self._get_action()
        if own.org is not None or action in ORGS_ANY_ACCOUNT_OPS:
            return own
        backend, org = _org_of(self.current_account)
        if org is None:
            raise AWSOrganizationsNotInUseException()
        if action in ORGS_ANY_MEMBER_OPS:
            return backend
        is_delegated_admin = any(a.account.id == self.current_account for a in backend.admins)
        if is_delegated_admin and action.startswith(("List", "Describe")):
            return backend
        raise OrganizationsClientError("AccessDeniedException", "You don't have permissions to access this resource.")

    org_responses.OrganizationsResponse.organizations_backend = property(organizations_backend)

    # Rule I1 - the caller's account comes from its credentials only. moto would also take it
    # from the MOTO_ACCOUNT_ID variable or an x-moto-account-id header, which AWS ignores.
    from moto.core.responses import BaseResponse
    from moto.iam.models import get_account_id_from

    BaseResponse.get_current_account = lambda self: get_account_id_from(self.get_access_key())

    if auth:
        # moto's INITIAL_NO_AUTH_ACTION_COUNT=0: every request is authenticated from the start.
        from moto import settings
        from moto.core.authorization import ActionAuthenticatorMixin

        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
        ActionAuthenticatorMixin.request_count = 0


def _trust_allows(policy_doc: Any, caller_arn: str, caller_account: str) -> bool:
    doc = json.loads(policy_doc) if isinstance(policy_doc, str) else policy_doc
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    accepted = {"*", caller_account, f"arn:aws:iam::{caller_account}:root", caller_arn}
    if ":assumed-role/" in caller_arn:  # a role session is also matched by its role ARN
        role = caller_arn.split(":assumed-role/")[1].split("/")[0]
        accepted.add(f"arn:aws:iam::{caller_account}:role/{role}")
    if ":user/" in caller_arn:
        accepted.add(caller_arn.replace(":sts::", ":iam::"))
    allowed = False
    for st in statements:
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = st.get("Principal", {})
        names = [principal] if isinstance(principal, str) else principal.get("AWS", [])
        names = [names] if isinstance(names, str) else names
        if any(n in accepted for n in names):
            if st.get("Effect") == "Deny":
                return False
            allowed = allowed or st.get("Effect") == "Allow"
    return allowed


# --------------------------------------------------------------------------------------
# Part 2: the WSGI fidelity middleware (response shape rules)
# --------------------------------------------------------------------------------------

def _error_status_table(service: str) -> dict[str, int]:
    """Error code -> HTTP status, from the botocore model (error.httpStatusCode)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    table = {}
    for shape in model.error_shapes:
        err = shape.metadata.get("error", {})
        fault = shape.metadata.get("fault", False)
        table[shape.name] = err.get("httpStatusCode", 500 if fault else 400)
    return table


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


def _add_account_state(value: Any) -> Any:
    """Account objects carry State (AccountState); derive it from Status when moto omits it."""
    if isinstance(value, dict):
        if "Status" in value and "JoinedMethod" in value and "State" not in value:
            value["State"] = value["Status"]
        for v in value.values():
            _add_account_state(v)
    elif isinstance(value, list):
        for v in value:
            _add_account_state(v)
    return value


def _xml_error(body: bytes) -> tuple[str, str] | None:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    code = root.find(".//{*}Code")
    if code is None:
        code = root.find(".//Code")
    msg = root.find(".//{*}Message")
    if msg is None:
        msg = root.find(".//Message")
    if code is None:
        return None
    return code.text or "", (msg.text if msg is not None else "") or ""


class FidelityLayer:
    """WSGI middleware around moto's DomainDispatcherApplication."""

    def __init__(self, app: Callable, private: Callable, raw_auth_errors: bool = False):
        self.app = app
        self.private = private
        self.raw_auth_errors = raw_auth_errors
        self.status_tables = {s: _error_status_table(s) for s in ("organizations", "account")}

    # -- request side ------------------------------------------------------------------
    @staticmethod
    def classify(environ: dict) -> str | None:
        """Which API a request is for: by SigV4 signing name, else by protocol markers."""
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = re.search(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request", auth)
        if m:
            return m.group(1).lower()
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith(ORGS_TARGET_PREFIX):
            return "organizations"
        if environ.get("PATH_INFO", "") in ACCOUNT_PATHS:
            return "account"
        return None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_localaws/"):
            if environ.get("REMOTE_ADDR") not in ("127.0.0.1", "::1"):
                return self._respond(start_response, 403, {"Content-Type": "application/json"},
                                     b'{"message": "loopback only"}')
            return self.private(environ, start_response)

        service = self.classify(environ)
        signed = "HTTP_AUTHORIZATION" in environ or "X-Amz-Credential=" in environ.get("QUERY_STRING", "")
        # Rule R1 - an unsigned Organizations/Account call is refused, as AWS does, instead of
        # landing in moto's S3 (moto routes by signing name only).
        if service in ("organizations", "account") and not signed:
            return self._error(start_response, service, "MissingAuthenticationTokenException",
                               "Missing Authentication Token", 403)

        self.count(service, environ)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list, exc_info: Any = None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = headers
            return lambda data: None

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = captured["status"], captured["headers"]

        if path == "/moto-api/reset" and status == 200:
            from moto.organizations.models import organizations_backends

            organizations_backends.master_accounts.clear()

        if service == "organizations":
            status, headers, body = self.shape_organizations(status, headers, body)
        elif service == "account":
            status, headers, body = self.shape_account(status, headers, body)
        elif service == "sts" and body.lstrip().startswith(b"<"):
            # STS is a query-protocol service: AWS labels its XML text/xml (moto: text/html
            # on authentication errors).
            headers = _set(headers, "Content-Type", "text/xml")
        return self._respond(start_response, status, headers, body)

    # -- request counting (GET /_localaws/requests) ----------------------------------------
    @staticmethod
    def count(service: str | None, environ: dict) -> None:
        """Counts Organizations and Account calls per caller account and operation, so tests
        can prove what was (not) sent: `{"<account>:<Operation>": n}`."""
        if service == "organizations":
            operation = environ.get("HTTP_X_AMZ_TARGET", "").rpartition(".")[2]
        elif service == "account":
            name = environ.get("PATH_INFO", "").strip("/")
            operation = name[:1].upper() + name[1:]
        else:
            return
        m = re.search(r"Credential=([^/,\s]+)/", environ.get("HTTP_AUTHORIZATION", ""))
        try:
            from moto.iam.models import get_account_id_from

            account = get_account_id_from(m.group(1)) if m else "unsigned"
        except Exception:
            account = "unknown"
        with REQUEST_COUNTS_LOCK:
            key = f"{account}:{operation}"
            REQUEST_COUNTS[key] = REQUEST_COUNTS.get(key, 0) + 1

    # -- response side -----------------------------------------------------------------
    def shape_organizations(self, status: int, headers: list, body: bytes):
        # AWS JSON 1.1 protocol (smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html):
        # Content-Type application/x-amz-json-1.1; errors carry "__type"; absent members
        # are omitted (rule O1..O4).
        if status < 300:
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return status, headers, body
            data = _add_account_state(_strip_nulls(data))
            body = json.dumps(data).encode()
            return status, _set(headers, "Content-Type", "application/x-amz-json-1.1"), body
        code, msg = self._error_parts(body, headers)
        if code is None or (code in AUTH_ERRORS and self.raw_auth_errors):
            return status, headers, body
        if code in AUTH_ERRORS:  # rule E1: moto's XML -> the JSON that JSON services send
            code, msg = AUTH_ERRORS[code]
        if code == "AccessDenied":  # IAM denial -> the modeled Organizations error
            code, msg = "AccessDeniedException", "You don't have permissions to access this resource."
        new_status = self.status_tables["organizations"].get(code, 400 if status < 500 else status)
        out = json.dumps({"__type": code, "Message": msg}).encode()
        headers = _set(_set(headers, "X-Amzn-ErrorType", code), "Content-Type", "application/x-amz-json-1.1")
        return new_status, headers, out

    def shape_account(self, status: int, headers: list, body: bytes):
        # AWS restJson1 protocol (smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html):
        # Content-Type application/json; error type in X-Amzn-ErrorType, body {"message"},
        # HTTP status from the error's httpError trait (botocore error.httpStatusCode).
        if status < 300:
            if body:
                try:
                    body = json.dumps(_strip_nulls(json.loads(body))).encode()
                except ValueError:
                    pass
            return status, _set(headers, "Content-Type", "application/json"), body
        code, msg = self._error_parts(body, headers)
        if code is None or (code in AUTH_ERRORS and self.raw_auth_errors):
            return status, headers, body
        if code in AUTH_ERRORS:  # rule E1
            code, msg = AUTH_ERRORS[code]
        if code == "AccessDenied":
            code = "AccessDeniedException"
        new_status = self.status_tables["account"].get(code, 403 if code in AUTH_CODES else status)
        headers = _set(_set(headers, "Content-Type", "application/json"), "X-Amzn-ErrorType", code)
        return new_status, headers, json.dumps({"message": msg}).encode()

    @staticmethod
    def _error_parts(body: bytes, headers: list) -> tuple[str | None, str]:
        try:
            data = json.loads(body)
            code = data.get("__type") or _get(headers, "X-Amzn-ErrorType")
            if code:
                code = code.split("#")[-1].split(":")[0]
            return code, data.get("message") or data.get("Message") or ""
        except (ValueError, AttributeError):
            pass
        parts = _xml_error(body) if body.lstrip().startswith(b"<") else None
        return parts if parts else (None, "")

    def _error(self, start_response, service, code, msg, status):
        if service == "account":
            headers = [("Content-Type", "application/json"), ("X-Amzn-ErrorType", code)]
            body = json.dumps({"message": msg}).encode()
        else:
            headers = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amzn-ErrorType", code)]
            body = json.dumps({"__type": code, "message": msg}).encode()
        return self._respond(start_response, status, headers, body)

    @staticmethod
    def _respond(start_response, status: int, headers, body: bytes):
        if isinstance(headers, dict):
            headers = list(headers.items())
        # moto leaks a "status" pseudo-header and a second "server" header; AWS sends neither.
        headers = [(k, v) for k, v in headers if k.lower() not in ("status", "content-length", "server")]
        # Rule H1 - every AWS response has a request id (x-amzn-RequestId).
        if _get(headers, "x-amzn-RequestId") is None:
            headers.append(("x-amzn-RequestId", str(uuid.uuid4())))
        headers.append(("Content-Length", str(len(body))))
        from http import HTTPStatus

        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        start_response(f"{status} {reason}", headers)
        return [body]


def _get(headers: list, name: str) -> str | None:
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return None


def _drop(headers: list, name: str) -> list:
    return [(k, v) for k, v in headers if k.lower() != name.lower()]


def _set(headers: list, name: str, value: str) -> list:
    return _drop(headers, name) + [(name, value)]


# --------------------------------------------------------------------------------------
# Part 3: seeding, done in-process by the server (POST /_localaws/seed)
# --------------------------------------------------------------------------------------
# Why in-process: with --auth on, nothing can be created over the API without credentials,
# and the management accounts' first credentials are exactly what seeding creates. The
# private route is answered only for loopback clients and is not an AWS API.

SEED_LOCK = threading.Lock()
_rng = random.SystemRandom()


def _ensure_base_user() -> dict:
    from moto.iam.models import iam_backends

    iam = iam_backends[BASE_ACCOUNT_ID][PARTITION]
    if BASE_USER_NAME not in iam.users:
        iam.create_user(DEFAULT_REGION, BASE_USER_NAME)
        iam.put_user_policy(BASE_USER_NAME, "AdministratorAccess", ADMIN_POLICY)
        iam.create_access_key(BASE_USER_NAME)
    user = iam.users[BASE_USER_NAME]
    key = user.access_keys[0]
    return {
        "account_id": BASE_ACCOUNT_ID,
        "user_arn": user.arn,
        "aws_access_key_id": key.access_key_id,
        "aws_secret_access_key": key.secret_access_key,
    }


def _account_in_use(account_id: str) -> bool:
    from moto.organizations.models import organizations_backends

    if account_id == BASE_ACCOUNT_ID or account_id in organizations_backends.master_accounts:
        return True
    if account_id in organizations_backends and organizations_backends[account_id][PARTITION].org:
        return True
    return False


def _fresh_account_id(reserved: set[str]) -> str:
    while True:
        candidate = str(_rng.randint(10**11, 10**12 - 1))
        if candidate not in reserved and not _account_in_use(candidate):
            return candidate


def _create_access_role(account_id: str, trusted_account: str) -> str:
    from moto.iam.exceptions import EntityAlreadyExists
    from moto.iam.models import iam_backends

    iam = iam_backends[account_id][PARTITION]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{trusted_account}:root"},
            "Action": "sts:AssumeRole",
        }],
    }
    try:
        iam.create_role(ACCESS_ROLE_NAME, json.dumps(trust), "/", None, "", [], "3600")
    except EntityAlreadyExists:
        pass
    iam.put_role_policy(ACCESS_ROLE_NAME, "AdministratorAccess", ADMIN_POLICY)
    return f"arn:aws:iam::{account_id}:role/{ACCESS_ROLE_NAME}"


# Seedable AccountState values -> the legacy Status that goes with them.
ACCOUNT_STATES = {"ACTIVE": "ACTIVE", "SUSPENDED": "SUSPENDED", "PENDING_CLOSURE": "PENDING_CLOSURE",
                  "CLOSED": "SUSPENDED", "PENDING_ACTIVATION": "ACTIVE"}


def _set_state(backend, account_id: str, state: str) -> None:
    """Make an account non-ACTIVE. SUSPENDED goes through moto's CloseAccount."""
    if state == "ACTIVE":
        return
    if state == "SUSPENDED":
        backend.close_account(AccountId=account_id)
        return
    account = backend.get_account_by_id(account_id)
    account.state, account.status = state, ACCOUNT_STATES[state]


def _create_member(backend, account: dict) -> dict:
    """CreateAccount, with the spec's fixed `id` when it has one (moto draws ids at random)."""
    from moto.organizations import models as org_models

    fixed = account.get("id")
    if fixed is None:
        return backend.create_account(AccountName=account["name"], Email=account["email"])
    original = org_models.utils.make_random_account_id
    org_models.utils.make_random_account_id = lambda: fixed
    try:
        return backend.create_account(AccountName=account["name"], Email=account["email"])
    finally:
        org_models.utils.make_random_account_id = original


def seed_in_process(spec: dict) -> dict:
    from moto.organizations.models import organizations_backends

    with SEED_LOCK:
        # Validate the whole spec first so that a bad spec creates nothing.
        orgs, wanted = spec.get("orgs", []), set()
        for o in orgs:
            mgmt = o.get("management_account_id")
            if not o.get("name") or not all(a.get("name") and a.get("email") for a in o.get("accounts", [])):
                raise ValueError("every org needs a name, every account a name and an email")
            for a in o.get("accounts", []):
                if a.get("state", "ACTIVE") not in ACCOUNT_STATES:
                    raise ValueError(f"account {a['name']}: state must be one of {sorted(ACCOUNT_STATES)}")
                fixed = a.get("id")
                if fixed is not None:
                    if not re.fullmatch(r"\d{12}", fixed):
                        raise ValueError(f"account {a['name']}: id must be 12 digits")
                    if _account_in_use(fixed) or fixed in wanted:
                        raise ValueError(f"account {a['name']}: id {fixed} is already in use")
                    wanted.add(fixed)
            if mgmt is None:
                continue
            if not re.fullmatch(r"\d{12}", mgmt):
                raise ValueError(f"org {o['name']}: management_account_id must be 12 digits")
            if _account_in_use(mgmt) or mgmt in wanted:
                raise ValueError(f"org {o['name']}: account {mgmt} is already in use")
            wanted.add(mgmt)
        base = _ensure_base_user()
        result_orgs = []
        for o in orgs:
            name = o["name"]
            mgmt = o.get("management_account_id") or _fresh_account_id(wanted)
            backend = organizations_backends[mgmt][PARTITION]
            org = backend.create_organization(region=DEFAULT_REGION, FeatureSet="ALL")["Organization"]
            root_id = backend.list_roots()["Roots"][0]["Id"]
            role_arn = _create_access_role(mgmt, BASE_ACCOUNT_ID)

            ou_ids: dict[str, str] = {}

            def ou_id(path: str) -> str:
                path = path.strip("/")
                if not path:
                    return root_id
                if path not in ou_ids:
                    parent, _, leaf = path.rpartition("/")
                    ou = backend.create_organizational_unit(Name=leaf, ParentId=ou_id(parent))
                    ou_ids[path] = ou["OrganizationalUnit"]["Id"]
                return ou_ids[path]

            for path in o.get("ous", []):
                ou_id(path)

            accounts = []
            for a in o.get("accounts", []):
                created = _create_member(backend, a)
                acct_id = created["CreateAccountStatus"]["AccountId"]
                # moto creates the member's OrganizationAccountAccessRole without a policy;
                # AWS attaches AdministratorAccess (orgs_manage_accounts_access.html).
                _create_access_role(acct_id, mgmt)
                ou_path = (a.get("ou") or "").strip("/")
                if ou_path:
                    backend.move_account(AccountId=acct_id, SourceParentId=root_id,
                                         DestinationParentId=ou_id(ou_path))
                _set_state(backend, acct_id, a.get("state", "ACTIVE"))
                d = backend.get_account_by_id(acct_id).describe()
                accounts.append({"id": acct_id, "name": a["name"], "email": a["email"],
                                 "ou": ou_path, "state": d["State"], "status": d["Status"]})
            result_orgs.append({
                "name": name,
                "profile": name,
                "org_id": org["Id"],
                "management_account_id": mgmt,
                "management_role_arn": role_arn,
                "root_id": root_id,
                "ous": dict(ou_ids),
                "accounts": accounts,
            })
        return {"base": base, "orgs": result_orgs}


REQUEST_COUNTS: dict[str, int] = {}
REQUEST_COUNTS_LOCK = threading.Lock()


def make_private_app() -> Callable:
    """The loopback-only /_localaws/* routes."""

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        try:
            if path == "/_localaws/seed" and method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
                status, payload = 200, seed_in_process(spec)
            elif path == "/_localaws/requests":
                with REQUEST_COUNTS_LOCK:
                    status, payload = 200, {"counts": dict(REQUEST_COUNTS)}
            elif path == "/_localaws/health":
                status, payload = 200, {"status": "ok", "pid": os.getpid()}
            else:
                status, payload = 404, {"message": f"no route {method} {path}"}
        except (ValueError, KeyError, TypeError) as e:
            status, payload = 400, {"message": f"{type(e).__name__}: {e}"}
        except Exception as e:  # moto errors (e.g. duplicate OU names)
            status, payload = 400, {"message": f"{type(e).__name__}: {getattr(e, 'message', e)}"}
        body = json.dumps(payload).encode()
        return FidelityLayer._respond(start_response, status, [("Content-Type", "application/json")], body)

    return app


# --------------------------------------------------------------------------------------
# Part 4: the CLI
# --------------------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from werkzeug.serving import WSGIRequestHandler, make_server

    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # stdout carries only the ready line
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.ERROR)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    patch_moto(auth=args.auth)
    app = FidelityLayer(DomainDispatcherApplication(create_backend_app), make_private_app(),
                        raw_auth_errors=args.raw_auth_errors)

    class Handler(WSGIRequestHandler):
        def log_request(self, *a: Any, **k: Any) -> None:
            if args.verbose:
                super().log_request(*a, **k)

    server = make_server(args.host, args.port, app, threaded=True, request_handler=Handler)
    stop = threading.Event()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if args.exit_on_stdin_eof:
        def watch_stdin() -> None:
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except (OSError, ValueError):
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True, name="stdin-eof").start()

    thread = threading.Thread(target=server.serve_forever, daemon=True, name="http")
    thread.start()
    host = args.host if ":" not in args.host else f"[{args.host}]"
    real_stdout.write(json.dumps({"endpoint": f"http://{host}:{server.server_port}", "pid": os.getpid()}) + "\n")
    real_stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


def _post(url: str, body: bytes) -> bytes:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        raise SystemExit(f"localaws: {url} -> HTTP {e.code}: {e.read().decode(errors='replace')}")


def _profile_block(name: str, endpoint: str, role_arn: str | None = None) -> str:
    lines = [f"[profile {name}]"]
    if role_arn:
        lines += [f"role_arn = {role_arn}", "source_profile = base"]
    lines += [f"region = {DEFAULT_REGION}", f"endpoint_url = {endpoint}"]
    return "\n".join(lines) + "\n"


def cmd_seed(args: argparse.Namespace) -> int:
    endpoint = args.endpoint.rstrip("/")
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    result = json.loads(_post(f"{endpoint}/_localaws/seed", json.dumps(spec).encode()))
    base = result["base"]
    seed = {
        "endpoint": endpoint,
        "region": DEFAULT_REGION,
        "base": {"profile": "base", "account_id": base["account_id"], "user_arn": base["user_arn"]},
        "orgs": result["orgs"],
    }
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "seed.json")
    # Seeding again into the same server and DIR keeps the orgs seeded before (unless --replace).
    if os.path.exists(path) and not args.replace:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
        if old.get("endpoint") == endpoint:
            names = {o["name"] for o in seed["orgs"]}
            seed["orgs"] = [o for o in old.get("orgs", []) if o["name"] not in names] + seed["orgs"]

    blocks = [_profile_block("base", endpoint)]
    blocks += [_profile_block(o["profile"], endpoint, o["management_role_arn"]) for o in seed["orgs"]]
    _write(os.path.join(args.out, "config"), "".join(blocks))
    _write(os.path.join(args.out, "credentials"),
           f"[base]\naws_access_key_id = {base['aws_access_key_id']}\n"
           f"aws_secret_access_key = {base['aws_secret_access_key']}\n", mode=0o600)
    text = json.dumps(seed, indent=2) + "\n"
    _write(path, text)
    sys.stdout.write(text)
    return 0


def _write(path: str, text: str, mode: int = 0o644) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def cmd_reset(args: argparse.Namespace) -> int:
    print(_post(args.endpoint.rstrip("/") + "/moto-api/reset", b"").decode())
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="localaws", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("serve", help="run moto + fidelity layer")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0, help="0 picks a free port")
    s.add_argument("--auth", action="store_true", help="check signatures and IAM from the first request")
    s.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when stdin reaches EOF")
    s.add_argument("--verbose", action="store_true", help="log requests to stderr")
    s.add_argument("--raw-auth-errors", action="store_true",
                   help="keep moto's XML authentication errors on Organizations/Account (no rule E1)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("seed", help="create organizations and write AWS config files")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--spec", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--replace", action="store_true", help="do not merge with an existing seed.json in --out")
    s.set_defaults(func=cmd_seed)

    s = sub.add_parser("reset", help="POST /moto-api/reset (forget everything)")
    s.add_argument("--endpoint", required=True)
    s.set_defaults(func=cmd_reset)

    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
