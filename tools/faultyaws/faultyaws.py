#!/usr/bin/env python3
"""faultyaws: a small, fast, fault-injecting AWS stand-in for orgbatch's resilience tests and
benchmark.

It answers the calls orgbatch makes (Organizations, Account, STS) from an in-memory model of
many organizations, by AWS's rules (AccountId needs trusted access and may not name the
management account; absent contacts are 404s), and misbehaves on purpose, reproducibly:

* throttling per (caller account) or per (caller account, operation), as AWS does it:
  Organizations answers 400 TooManyRequestsException, Account 429 TooManyRequestsException;
* HTTP 500 and 503 at given rates;
* connections closed before the request is applied, or after it is applied but before the
  answer (the write happened, the client cannot know);
* latency, and occasional slow answers;
* credentials revoked after a number of calls (InvalidClientTokenId from then on);
* short-lived credentials from stand-ins for instance metadata, the container endpoint and
  IAM Identity Center (credential_standins.py), refused once they have expired.

Every fault decision is a hash of the seed, the request (caller, operation, target) and how
many times that request was seen: the same seed gives the same faults whatever order
concurrent requests arrive in, so a failing run reproduces.
Callers are told apart by their access key: AKIA (or ASIA) followed by the 12-digit account
id (no signature check: the moto-based tools/localaws checks signatures).

    python3 faultyaws.py serve --config faults.json [--exit-on-stdin-eof] [--many-connections]
        prints {"endpoint": "http://127.0.0.1:PORT", "pid": N} when ready, and writes
        AWS shared-config files for the organizations into the config's "out" folder.
    GET /_faulty/stats    counts: requests, throttled, errors, drops, writes applied per target

Config (JSON; every key optional):
    {"seed": 1, "orgs": 3, "accounts": 20, "out": "DIR",
     "latency_ms": 5, "jitter_ms": 0, "slow_rate": 0, "slow_ms": 0,
     "error500_rate": 0, "error503_rate": 0, "drop_before_rate": 0, "drop_after_rate": 0,
     "throttle": {"rate": 10, "burst": 10, "per": "org"},   # or "per": "operation"
     "revoke_after": {"<account>": 50},
     "trusted": false,                                       # trusted access already on
     "credentials": {...}}                                   # see credential_standins.py
"""
import argparse
import asyncio
import hashlib
import json
import os
import random
import selectors
import signal
import sys
import time
import uuid
from urllib.parse import parse_qsl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credential_standins import CredentialStandIns, iso  # noqa: E402

ACCOUNT_PRINCIPAL = "account.amazonaws.com"
WRITE_OPERATIONS = {
    "EnableAWSServiceAccess", "DisableAWSServiceAccess", "RegisterDelegatedAdministrator",
    "DeregisterDelegatedAdministrator", "PutAlternateContact", "DeleteAlternateContact",
}


class Org:
    def __init__(self, index: int, accounts: int, trusted: bool):
        self.management = f"{700000000000 + index * 1000:012d}"
        self.id = f"o-faulty{index:04d}xx"
        self.root = f"r-f{index:03d}"
        self.members = [f"{700000000000 + index * 1000 + n:012d}" for n in range(1, accounts + 1)]
        self.trusted = {ACCOUNT_PRINCIPAL} if trusted else set()
        self.admins = {}  # principal -> set(account)
        self.contacts = {}  # account -> {type: {...}}


class Bucket:
    """The server's own token bucket: AWS's throttling, as a rate and a burst."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst, self.tokens, self.last = rate, burst, burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class World:
    def __init__(self, config: dict):
        self.config = config
        self.random = random.Random(config.get("seed", 1))
        self.orgs = [Org(i, config.get("accounts", 10), config.get("trusted", False)) for i in range(config.get("orgs", 2))]
        self.org_of = {}
        for org in self.orgs:
            self.org_of[org.management] = org
            for member in org.members:
                self.org_of[member] = org
        self.buckets = {}
        self.seen = {}
        self.calls_by_account = {}
        self.stats = {"requests": 0, "throttled": 0, "error500": 0, "error503": 0, "drop_before": 0,
                      "drop_after": 0, "slow": 0, "revoked": 0, "latency_ms_sum": 0.0, "answered": 0,
                      "turnaround_ms_sum": 0.0, "turnarounds": 0, "writes": {}}
        self.standins = CredentialStandIns(config.get("credentials", {}), self.orgs[0].management if self.orgs else "",
                                           self.stats)

    # -- faults -------------------------------------------------------------------------
    def throttled(self, caller: str, operation: str) -> bool:
        spec = self.config.get("throttle")
        if not spec:
            return False
        org = self.org_of.get(caller)
        scope = org.id if org and spec.get("per", "org") == "org" else caller
        key = scope if spec.get("per", "org") == "org" else (scope, operation)
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = Bucket(spec.get("rate", 10), spec.get("burst", spec.get("rate", 10)))
        return not bucket.take()

    def chance(self, name: str, request_key: str = "") -> bool:
        rate = self.config.get(name, 0)
        if rate <= 0:
            return False
        seen = self.seen[(name, request_key)] = self.seen.get((name, request_key), 0) + 1
        digest = hashlib.sha256(f"{self.config.get('seed', 1)}|{name}|{request_key}|{seen}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < rate

    # -- the model ----------------------------------------------------------------------
    def organizations(self, op: str, body: dict, caller: str):
        org = self.org_of.get(caller)
        if org is None:
            return error_json(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
        principal = body.get("ServicePrincipal", "")
        if op == "DescribeOrganization":
            return ok({"Organization": {"Id": org.id, "FeatureSet": "ALL", "MasterAccountId": org.management,
                                        "Arn": f"arn:aws:organizations::{org.management}:organization/{org.id}"}})
        if op in ("ListAccounts", "ListAccountsForParent"):
            # Paged as AWS pages it: at most 20 accounts a page (MaxResults 1-20, default 20),
            # with an opaque NextToken on every page but the last.
            ids = [org.management] + org.members
            size = body.get("MaxResults", 20)
            if not isinstance(size, int) or not 1 <= size <= 20:
                return error_json(400, "InvalidInputException", "MaxResults must be between 1 and 20.")
            token, prefix = body.get("NextToken"), "page-"
            number = token[len(prefix):] if isinstance(token, str) and token.startswith(prefix) else ""
            start = int(number) if number.isdigit() else 0
            if token is not None and (start == 0 or start >= len(ids)):
                return error_json(400, "InvalidInputException", "You specified an invalid value for nextToken.")
            page = {"Accounts": [{"Id": a, "State": "ACTIVE", "Status": "ACTIVE", "Name": a} for a in ids[start:start + size]]}
            if start + size < len(ids):
                page["NextToken"] = f"{prefix}{start + size}"
            return ok(page)
        if op == "ListRoots":
            return ok({"Roots": [{"Id": org.root, "Name": "Root"}]})
        if op == "ListOrganizationalUnitsForParent":
            return ok({"OrganizationalUnits": []})
        if op == "ListAWSServiceAccessForOrganization":
            return ok({"EnabledServicePrincipals": [{"ServicePrincipal": p} for p in sorted(org.trusted)]})
        if op == "EnableAWSServiceAccess":
            org.trusted.add(principal)
            return ok({})
        if op == "DisableAWSServiceAccess":
            org.trusted.discard(principal)
            return ok({})
        if op == "ListDelegatedAdministrators":
            ids = set().union(*org.admins.values()) if "ServicePrincipal" not in body else org.admins.get(principal, set())
            return ok({"DelegatedAdministrators": [{"Id": a, "State": "ACTIVE"} for a in sorted(ids)]})
        if op == "ListDelegatedServicesForAccount":
            account = body.get("AccountId")
            return ok({"DelegatedServices": [{"ServicePrincipal": p} for p, ids in sorted(org.admins.items()) if account in ids]})
        if op == "RegisterDelegatedAdministrator":
            account = body.get("AccountId")
            if account in org.admins.get(principal, set()):
                return error_json(400, "AccountAlreadyRegisteredException", "The provided account is already a delegated administrator.")
            org.admins.setdefault(principal, set()).add(account)
            return ok({})
        if op == "DeregisterDelegatedAdministrator":
            account = body.get("AccountId")
            if account not in org.admins.get(principal, set()):
                return error_json(400, "AccountNotRegisteredException", "The provided account is not a registered delegated administrator.")
            org.admins[principal].discard(account)
            return ok({})
        return error_json(400, "InvalidInputException", f"unsupported operation {op}")

    def account(self, op: str, body: dict, caller: str):
        org = self.org_of.get(caller)
        target = caller
        if "AccountId" in body:
            target = body["AccountId"]
            if (org is None or caller != org.management or ACCOUNT_PRINCIPAL not in org.trusted
                    or target == org.management or target not in org.members):
                return error_rest(403, "AccessDeniedException", f"User is not authorized to perform: account:{op}")
        kind = body.get("AlternateContactType", "")
        contacts = self.orgs_contacts(org, target)
        if op == "GetAlternateContact":
            if kind not in contacts:
                return error_rest(404, "ResourceNotFoundException", "No contact of the inputted alternate contact type found.")
            return ok({"AlternateContact": dict(contacts[kind], AlternateContactType=kind)}, rest=True)
        if op == "PutAlternateContact":
            contacts[kind] = {k: body[k] for k in ("Name", "Title", "EmailAddress", "PhoneNumber")}
            return ok({}, rest=True)
        if op == "DeleteAlternateContact":
            if kind not in contacts:
                return error_rest(404, "ResourceNotFoundException", "No contact of the inputted alternate contact type found.")
            del contacts[kind]
            return ok({}, rest=True)
        return error_rest(400, "ValidationException", f"unsupported operation {op}")

    @staticmethod
    def orgs_contacts(org, target):
        if org is None:
            return {}
        return org.contacts.setdefault(target, {})

    def sts(self, body: dict, caller: str, signed: bool = True):
        action = body.get("Action", "")
        if action == "AssumeRoleWithWebIdentity":
            # The token is the credential (AWS accepts the call unsigned); "expired" is refused.
            self.stats["web_identity"] = self.stats.get("web_identity", 0) + 1
            if signed:
                self.stats["web_identity_signed"] = self.stats.get("web_identity_signed", 0) + 1
            token, role = body.get("WebIdentityToken", ""), body.get("RoleArn", "")
            parts = role.split(":")
            if not token or len(parts) < 6 or len(parts[4]) != 12:
                return sts_error(400, "ValidationError", "RoleArn and WebIdentityToken are required")
            if token == "expired":
                return sts_error(400, "ExpiredTokenException", "Token expired: current date/time is after the token's exp")
            account = parts[4]
            return assumed_role("AssumeRoleWithWebIdentity", parts, body.get("RoleSessionName", ""),
                                (f"AKIA{account}", f"web-secret-{account}", f"web-token-{account}", time.time() + 3600))
        if action == "AssumeRole":
            # Keys for the role's account, from the credential stand-ins (so they expire alike).
            parts = body.get("RoleArn", "").split(":")
            if len(parts) < 6 or len(parts[4]) != 12 or not body.get("RoleSessionName"):
                return sts_error(400, "ValidationError", "RoleArn and RoleSessionName are required")
            self.stats["assume_role"] = self.stats.get("assume_role", 0) + 1
            return assumed_role("AssumeRole", parts, body["RoleSessionName"], self.standins.issue(parts[4]))
        if action == "GetCallerIdentity":
            xml = (f"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::{caller}:user/faulty</Arn>"
                   f"<UserId>AIDAFAULTY</UserId><Account>{caller}</Account></GetCallerIdentityResult>"
                   f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
            return 200, [("Content-Type", "text/xml")], xml.encode()
        return sts_error(400, "InvalidAction", f"unsupported action {action}")

    # -- a request ----------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict, body: bytes):
        """Returns (status, headers, body, drop) where drop is None, 'before' or 'after'."""
        path = target.split("?", 1)[0]
        if path == "/_faulty/stats":
            return 200, [("Content-Type", "application/json")], json.dumps(self.stats).encode(), None
        answer = self.standins.handle(method, target, headers, body)
        if answer is not None:
            return (*answer, None)
        self.stats["requests"] += 1
        auth = headers.get("authorization", "")
        marker = "Credential="
        access_key = auth[auth.index(marker) + len(marker):].split("/", 1)[0] if marker in auth else ""
        caller = access_key[4:16] if access_key[:4] in ("AKIA", "ASIA") else ""
        target = headers.get("x-amz-target", "")
        if target:
            service, operation = "organizations", target.rsplit(".", 1)[-1]
        elif path.strip("/") and path.strip("/")[0].islower() and "Contact" in path:
            service, operation = "account", path.strip("/")[0].upper() + path.strip("/")[1:]
        else:
            service, operation = "sts", "sts"
        try:
            payload = json.loads(body) if service != "sts" and body else {}
        except ValueError:
            payload = {}
        if service == "sts":
            payload = dict(parse_qsl(body.decode()))
            operation = payload.get("Action", "")

        if service == "sts" and payload.get("Action") == "AssumeRoleWithWebIdentity":
            return (*self.sts(payload, caller, signed=bool(auth)), None)
        if len(caller) != 12:
            return (*reject(service, 403, "UnrecognizedClientException", "The security token included in the request is invalid."), None)
        if self.standins.expired(access_key):
            return (*reject(service, 403 if service != "organizations" else 400,
                            "ExpiredToken" if service == "sts" else "ExpiredTokenException",
                            "The security token included in the request is expired"), None)
        count = self.calls_by_account[caller] = self.calls_by_account.get(caller, 0) + 1
        limit = self.config.get("revoke_after", {}).get(caller)
        if limit is not None and count > limit:
            self.stats["revoked"] += 1
            return (*reject(service, 403, "InvalidClientTokenId", "The security token included in the request is invalid."), None)
        if service != "sts" and self.throttled(caller, operation):
            self.stats["throttled"] += 1
            if service == "organizations":
                return (*error_json(400, "TooManyRequestsException",
                                    "AWS Organizations can't complete your request because another request is already in progress."), None)
            return (*error_rest(429, "TooManyRequestsException", "Rate exceeded"), None)
        request_key = f"{caller}:{operation}:{payload.get('AccountId', caller)}:{payload.get('AlternateContactType', payload.get('ServicePrincipal', ''))}"
        if service != "sts":
            if self.chance("error500_rate", request_key):
                self.stats["error500"] += 1
                return (*(error_json(500, "ServiceException", "internal error") if service == "organizations"
                          else error_rest(500, "InternalServerException", "internal error")), None)
            if self.chance("error503_rate", request_key):
                self.stats["error503"] += 1
                return 503, [("Content-Type", "text/html")], b"<html>Service Unavailable</html>", None
            if self.chance("drop_before_rate", request_key):
                self.stats["drop_before"] += 1
                return 0, [], b"", "before"
        if service == "organizations":
            status, head, out = self.organizations(operation, payload, caller)
        elif service == "account":
            status, head, out = self.account(operation, payload, caller)
        else:
            status, head, out = self.sts(payload, caller)
        if status == 200 and operation in WRITE_OPERATIONS:
            key = f"{caller}:{operation}:{payload.get('AccountId', caller)}:{payload.get('AlternateContactType', payload.get('ServicePrincipal', ''))}"
            self.stats["writes"][key] = self.stats["writes"].get(key, 0) + 1
        if service != "sts" and self.chance("drop_after_rate", request_key):
            self.stats["drop_after"] += 1
            return 0, [], b"", "after"
        return status, head, out, None


def ok(obj, rest=False):
    return 200, [("Content-Type", "application/json" if rest else "application/x-amz-json-1.1")], json.dumps(obj).encode()


def error_json(status, code, message):
    return status, [("Content-Type", "application/x-amz-json-1.1")], json.dumps({"__type": code, "Message": message}).encode()


def error_rest(status, code, message):
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], json.dumps({"message": message}).encode()


def assumed_role(action, role_arn_parts, session_name, credentials):
    """STS's answer to AssumeRole or AssumeRoleWithWebIdentity: credentials is
    (key id, secret, session token, expiration as epoch seconds)."""
    account, role_name = role_arn_parts[4], role_arn_parts[5].split("/")[-1]
    key, secret, token, expires = credentials
    xml = (f"<{action}Response><{action}Result>"
           f"<AssumedRoleUser><Arn>arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}</Arn>"
           f"<AssumedRoleId>AROAFAULTY:{session_name}</AssumedRoleId></AssumedRoleUser>"
           f"<Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
           f"<SessionToken>{token}</SessionToken><Expiration>{iso(expires)}</Expiration></Credentials>"
           f"</{action}Result><ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
           f"</{action}Response>")
    return 200, [("Content-Type", "text/xml")], xml.encode()


def sts_error(status, code, message):
    xml = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    return status, [("Content-Type", "text/xml")], xml.encode()


def reject(service, status, code, message):
    if service == "organizations":
        return error_json(400 if status == 403 and code == "UnrecognizedClientException" else status, code, message)
    if service == "account":
        return error_rest(status, code, message)
    return sts_error(status, code, message)


async def serve_connection(world: World, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    config = world.config
    loop = asyncio.get_running_loop()
    answered_at = None
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            arrival = loop.time()
            if answered_at is not None:
                # The client's turnaround on this connection: from our answer to its next request.
                world.stats["turnaround_ms_sum"] += (arrival - answered_at) * 1000
                world.stats["turnarounds"] += 1
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            delay = config.get("latency_ms", 0) / 1000
            if config.get("jitter_ms"):
                delay += world.random.random() * config["jitter_ms"] / 1000
            if world.chance("slow_rate", path):
                world.stats["slow"] += 1
                delay += config.get("slow_ms", 0) / 1000
            status, out_headers, out, drop = world.handle(method, path, headers, body)
            if drop == "before":
                break
            response = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}", f"Content-Length: {len(out)}",
                        f"x-amzn-RequestId: {uuid.UUID(int=world.random.getrandbits(128))}"]
            response += [f"{k}: {v}" for k, v in out_headers]
            answer = ("\r\n".join(response) + "\r\n\r\n").encode() + out
            # Answer `delay` after the request arrived, whatever the handling took.
            remaining = arrival + delay - loop.time()
            if remaining > 0:
                await asyncio.sleep(remaining)
            if drop == "after":
                break
            writer.write(answer)
            await writer.drain()
            if path != "/_faulty/stats":
                world.stats["latency_ms_sum"] += (loop.time() - arrival) * 1000
                world.stats["answered"] += 1
                answered_at = loop.time()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


def write_profiles(world: World, endpoint: str, out: str):
    os.makedirs(out, exist_ok=True)
    config = []
    for index, org in enumerate(world.orgs):
        config += [f"[profile org{index}]", f"aws_access_key_id = AKIA{org.management}",
                   f"aws_secret_access_key = faulty-secret-{org.management}", "region = us-east-1",
                   f"endpoint_url = {endpoint}", ""]
    with open(os.path.join(out, "config"), "w") as f:
        f.write("\n".join(config))
    with open(os.path.join(out, "credentials"), "w") as f:
        f.write("")
    description = {"endpoint": endpoint, "orgs": [
        {"name": f"org{i}", "profile": f"org{i}", "org_id": o.id, "management_account_id": o.management, "members": o.members}
        for i, o in enumerate(world.orgs)]}
    with open(os.path.join(out, "world.json"), "w") as f:
        json.dump(description, f, indent=1)


async def main_serve(args):
    config = json.load(open(args.config)) if args.config else {}
    world = World(config)
    server = await asyncio.start_server(lambda r, w: serve_connection(world, r, w), args.host, args.port, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    endpoint = f"http://{args.host}:{port}"
    if config.get("out"):
        write_profiles(world, endpoint, config["out"])
    print(json.dumps({"endpoint": endpoint, "pid": os.getpid()}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if args.exit_on_stdin_eof:
        loop.add_reader(sys.stdin.fileno(), lambda: (sys.stdin.buffer.read1(1024) or stop.set()))
    async with server:
        await stop.wait()


def main():
    parser = argparse.ArgumentParser(prog="faultyaws")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--config")
    s.add_argument("--exit-on-stdin-eof", action="store_true")
    s.add_argument("--many-connections", action="store_true",
                   help="wait with epoll, for clients that hold more than 1,000 connections open "
                        "(answers may then be up to a millisecond late)")
    args = parser.parse_args()
    # select(2) takes its timeout in microseconds; epoll, asyncio's default, in milliseconds,
    # rounded up, which would make every answer late by up to a millisecond (50.9 ms served
    # for 50 configured). select(2) cannot watch a descriptor above FD_SETSIZE (1,024):
    # orgbatch's runs hold hundreds of connections, but a boto3 script with a client per
    # profile keeps each client's pool open, thousands over 100 organizations.
    loop = asyncio.SelectorEventLoop(selectors.EpollSelector() if args.many_connections else selectors.SelectSelector())
    try:  # and no 50-microsecond timer slack on top (Linux)
        import ctypes
        ctypes.CDLL(None).prctl(29, 1, 0, 0, 0)  # PR_SET_TIMERSLACK, 1 ns
    except (OSError, AttributeError):
        pass
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main_serve(args))
    finally:
        loop.close()


if __name__ == "__main__":
    main()
