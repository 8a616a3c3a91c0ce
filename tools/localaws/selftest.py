#!/usr/bin/env python3
"""Self-check of tools/localaws: python3 tools/localaws/selftest.py

Starts `localaws.py serve --auth` as a child process, seeds two organizations (and a third
one in a second seed call), then checks every fidelity rule with boto3 through the written
AWS config (profile alpha). Exits non-zero when a check fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(HERE, "localaws.py")
DEADLINE = time.monotonic() + 55

SPEC = {"orgs": [
    {"name": "alpha", "management_account_id": "111111111111",
     "ous": ["Prod", "Prod/Web", "Sandbox"],
     "accounts": [{"name": "web1", "email": "web1@example.com", "ou": "Prod/Web"},
                  {"name": "sb1", "email": "sb1@example.com", "ou": "Sandbox", "state": "SUSPENDED"},
                  {"name": "root1", "email": "r1@example.com"}]},
    {"name": "beta", "ous": ["Dev"],
     "accounts": [{"name": "dev1", "email": "dev1@example.com", "ou": "Dev"}]},
]}
SPEC2 = {"orgs": [{"name": "gamma", "accounts": [{"name": "g1", "email": "g1@example.com"}]}]}

results: list[tuple[bool, str]] = []


def check(ok: bool, what: str) -> bool:
    results.append((bool(ok), what))
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    return bool(ok)


class Raw:
    """Keeps the last raw HTTP response a botocore client received."""

    def __init__(self, client):
        self.status = None
        self.headers: dict = {}
        self.body = b""
        client.meta.events.register("before-parse", self._grab)

    def _grab(self, response_dict, **_):
        self.status = response_dict["status_code"]
        self.headers = {k.lower(): v for k, v in response_dict["headers"].items()}
        self.body = response_dict["body"]


def call(fn, **kw):
    """Returns (response or None, error dict or None, http status)."""
    import botocore.exceptions

    try:
        r = fn(**kw)
        return r, None, r["ResponseMetadata"]["HTTPStatusCode"]
    except botocore.exceptions.ClientError as e:
        return None, e.response["Error"], e.response["ResponseMetadata"]["HTTPStatusCode"]


def start_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, LAUNCHER, "serve", "--host", "127.0.0.1", "--port", "0", "--auth",
         "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    line: list[bytes] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=30)  # readiness: the one JSON line on stdout
    if not line or not line[0]:
        proc.kill()
        raise SystemExit("FAIL server did not print its ready line: " + proc.stderr.read().decode()[-2000:])
    ready = json.loads(line[0])
    check(set(ready) == {"endpoint", "pid"} and ready["pid"] == proc.pid, f"ready line {ready}")
    return proc, ready["endpoint"]


def seed(endpoint: str, spec: dict, out: str) -> dict:
    spec_path = os.path.join(out, f"spec-{len(os.listdir(out))}.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    p = subprocess.run([sys.executable, LAUNCHER, "seed", "--endpoint", endpoint, "--spec", spec_path,
                        "--out", out], capture_output=True, timeout=30)
    if p.returncode != 0:
        raise SystemExit("FAIL seed: " + p.stderr.decode())
    printed = json.loads(p.stdout)
    with open(os.path.join(out, "seed.json")) as f:
        check(json.load(f) == printed, "seed prints the seed.json it writes")
    return printed


def main() -> int:
    proc, endpoint = start_server()
    try:
        return run_checks(endpoint)
    except Exception:  # an unexpected error is a failed check, not a crash
        import traceback

        traceback.print_exc()
        check(False, "checks ran to the end")
        return 1
    finally:
        # --exit-on-stdin-eof: closing our end of the pipe must end the server.
        proc.stdin.close()
        try:
            code = proc.wait(timeout=10)
            check(code == 0, f"server exits cleanly at stdin EOF (exit code {code})")
        except subprocess.TimeoutExpired:
            proc.kill()
            check(False, "server exits at stdin EOF")
        failed = [w for ok, w in results if not ok]
        print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed", flush=True)
        if failed:
            sys.exit(1)


def run_checks(endpoint: str) -> int:
    out = tempfile.mkdtemp(prefix="localaws-selftest-")
    import atexit
    import shutil

    atexit.register(shutil.rmtree, out, True)
    seeded = seed(endpoint, SPEC, out)
    seeded = seed(endpoint, SPEC2, out)  # a second seed into the same server and DIR
    names = [o["name"] for o in seeded["orgs"]]
    mgmts = [o["management_account_id"] for o in seeded["orgs"]]
    check(names == ["alpha", "beta", "gamma"] and len(set(mgmts)) == 3,
          f"three orgs with distinct management accounts {mgmts}")
    with open(os.path.join(out, "config")) as f:
        config = f.read()
    check("[profile gamma]" in config and "role_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
          in config, "config has a profile per org")

    os.environ["AWS_CONFIG_FILE"] = os.path.join(out, "config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(out, "credentials")
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
              "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION"):
        os.environ.pop(k, None)
    import boto3

    alpha_seed, beta_seed = seeded["orgs"][0], seeded["orgs"][1]
    accts = {a["name"]: a for a in alpha_seed["accounts"]}
    web1, sb1, root1 = accts["web1"]["id"], accts["sb1"]["id"], accts["root1"]["id"]
    dev1 = beta_seed["accounts"][0]["id"]
    mgmt = alpha_seed["management_account_id"]

    alpha = boto3.Session(profile_name="alpha")
    ident = alpha.client("sts").get_caller_identity()
    check(ident["Account"] == mgmt and ":assumed-role/OrganizationAccountAccessRole/" in ident["Arn"],
          f"profile alpha assumes the management role ({ident['Arn']})")

    org = alpha.client("organizations")
    org_raw = Raw(org)
    acc = alpha.client("account")
    acc_raw = Raw(acc)

    # --- Organizations response shape ----------------------------------------------------
    r, _, _ = call(org.list_accounts)
    check(org_raw.headers.get("content-type") == "application/x-amz-json-1.1",
          f"O1 Organizations success Content-Type is application/x-amz-json-1.1 ({org_raw.headers.get('content-type')})")
    raw = json.loads(org_raw.body)
    check("NextToken" not in raw and "null" not in org_raw.body.decode(),
          "O2 no null members (ListAccounts last page has no NextToken key)")
    r2, _, _ = call(org.list_accounts, MaxResults=1)
    check("NextToken" in json.loads(org_raw.body), "O2 NextToken present while more pages exist")
    states = {a["Id"]: a.get("State") for a in r["Accounts"]}
    check(all(states.values()) and states[sb1] == "SUSPENDED" and states[web1] == "ACTIVE",
          f"O4 ListAccounts carries State; the suspended account is SUSPENDED ({states[sb1]})")
    d = org.describe_account(AccountId=sb1)["Account"]
    check(d["State"] == "SUSPENDED", "seeded state SUSPENDED shows in DescribeAccount")
    parents = org.list_parents(ChildId=web1)["Parents"]
    check(parents[0]["Id"] == alpha_seed["ous"]["Prod/Web"], "seeded account sits in its OU")
    _, err, status = call(org.describe_account, AccountId="999999999999")
    check(status == 400 and err["Code"] == "AccountNotFoundException" and
          json.loads(org_raw.body).get("__type") == "AccountNotFoundException",
          f"O3 Organizations error: HTTP 400 with __type ({status}, {err and err['Code']})")
    check(bool(org_raw.headers.get("x-amzn-requestid")), "H1 request id header on an Organizations error")

    # x-moto-account-id must not switch identity (real AWS ignores the header).
    hdr = lambda request, **_: request.headers.__setitem__("x-moto-account-id", beta_seed["management_account_id"])
    org.meta.events.register("before-sign.organizations.DescribeOrganization", hdr)
    o = org.describe_organization()["Organization"]
    check(o["MasterAccountId"] == mgmt, "x-moto-account-id header is ignored")
    org.meta.events.unregister("before-sign.organizations.DescribeOrganization", hdr)

    # --- Account API: trusted access rules ---------------------------------------------
    contact = dict(AlternateContactType="BILLING", Name="Bill", Title="CFO",
                   EmailAddress="bill@example.com", PhoneNumber="+1 555 0100")
    _, err, status = call(acc.put_alternate_contact, AccountId=web1, **contact)
    check(status == 403 and err["Code"] == "AccessDeniedException",
          f"A1 AccountId without trusted access -> 403 AccessDeniedException ({status}, {err and err['Code']})")
    check(acc_raw.headers.get("x-amzn-errortype") == "AccessDeniedException" and
          set(json.loads(acc_raw.body)) == {"message"},
          "A3 Account error has x-amzn-ErrorType and a {\"message\"} body")

    r, err, _ = call(acc.put_alternate_contact, **contact)
    check(err is None, "standalone context (no AccountId) works without trusted access")
    check(acc_raw.headers.get("content-type") == "application/json",
          f"A4 Account success Content-Type is application/json ({acc_raw.headers.get('content-type')})")

    org.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    r, err, _ = call(acc.put_alternate_contact, AccountId=web1, **contact)
    check(err is None, "A1 AccountId of a member works once trusted access is enabled")
    r, err, _ = call(acc.get_alternate_contact, AccountId=web1, AlternateContactType="BILLING")
    check(r and r["AlternateContact"]["Name"] == "Bill", "GetAlternateContact(AccountId) returns it")

    _, err, status = call(acc.get_alternate_contact, AccountId=web1, AlternateContactType="SECURITY")
    check(status == 404 and err["Code"] == "ResourceNotFoundException" and
          acc_raw.headers.get("x-amzn-errortype") == "ResourceNotFoundException" and
          set(json.loads(acc_raw.body)) == {"message"},
          f"A3 ResourceNotFoundException is HTTP 404 with x-amzn-ErrorType ({status})")

    _, err, status = call(acc.get_alternate_contact, AccountId=mgmt, AlternateContactType="BILLING")
    check(status == 403 and err["Code"] == "AccessDeniedException" and
          "standalone context" in err["Message"],
          f"A2 management account naming itself -> 403 AccessDeniedException ({err and err['Message']})")

    _, err, status = call(acc.get_alternate_contact, AccountId=dev1, AlternateContactType="BILLING")
    check(status == 403 and err["Code"] == "AccessDeniedException", "A1 AccountId outside the org -> 403")

    ci = {"FullName": "Ann", "AddressLine1": "1 Main St", "City": "Seattle", "PostalCode": "98101",
          "CountryCode": "US", "PhoneNumber": "+1 206 555 0100", "StateOrRegion": "WA"}
    _, err, status = call(acc.get_contact_information, AccountId=web1)
    check(status == 404 and err["Code"] == "ResourceNotFoundException", "A5 GetContactInformation before any Put -> 404")
    r, err, _ = call(acc.put_contact_information, AccountId=web1, ContactInformation=ci)
    r, err, _ = call(acc.get_contact_information, AccountId=web1)
    check(r and r["ContactInformation"]["City"] == "Seattle", "A5 Put/GetContactInformation with AccountId")
    _, err, status = call(acc.get_contact_information, AccountId=mgmt)
    check(status == 403 and "standalone context" in (err or {}).get("Message", ""),
          "A2 also applies to GetContactInformation")

    # --- Delegated administrator for account.amazonaws.com -------------------------------
    r, err, _ = call(org.register_delegated_administrator, AccountId=web1, ServicePrincipal="account.amazonaws.com")
    check(err is None, f"D1 RegisterDelegatedAdministrator accepts account.amazonaws.com ({err})")
    admins = org.list_delegated_administrators(ServicePrincipal="account.amazonaws.com")["DelegatedAdministrators"]
    check([a["Id"] for a in admins] == [web1], "D1 ListDelegatedAdministrators(account.amazonaws.com)")

    sts_alpha = alpha.client("sts")

    def member_session(account_id: str):
        c = sts_alpha.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
                                  RoleSessionName="selftest")["Credentials"]
        return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                             aws_session_token=c["SessionToken"], region_name="us-east-1")

    web1_session, root1_session = member_session(web1), member_session(root1)
    dorg = web1_session.client("organizations", endpoint_url=endpoint)
    r, err, _ = call(dorg.list_accounts)
    check(r and {a["Id"] for a in r["Accounts"]} == {mgmt, web1, sb1, root1},
          "O5 a delegated administrator lists its organization's accounts")
    morg = root1_session.client("organizations", endpoint_url=endpoint)
    _, err, status = call(morg.list_accounts)
    check(status == 400 and err["Code"] == "AccessDeniedException",
          f"O5 a plain member's ListAccounts -> AccessDeniedException ({status}, {err and err['Code']})")
    r, err, _ = call(morg.describe_organization)
    check(r and r["Organization"]["MasterAccountId"] == mgmt, "O5 a member may DescribeOrganization")
    _, err, status = call(boto3.Session(profile_name="base").client("organizations").list_accounts)
    check(err and err["Code"] == "AWSOrganizationsNotInUseException",
          f"O5 an account outside any org -> AWSOrganizationsNotInUseException ({err and err['Code']})")

    dacc = web1_session.client("account", endpoint_url=endpoint)
    r, err, _ = call(dacc.put_alternate_contact, AccountId=root1, **contact)
    check(err is None, f"A1 the delegated admin may use AccountId ({err})")
    _, err, status = call(dacc.get_alternate_contact, AccountId=mgmt, AlternateContactType="BILLING")
    check(status == 403 and err["Code"] == "AccessDeniedException",
          "A2 the delegated admin cannot target the management account")
    macc = root1_session.client("account", endpoint_url=endpoint)
    _, err, status = call(macc.get_alternate_contact, AccountId=web1, AlternateContactType="BILLING")
    check(status == 403 and err["Code"] == "AccessDeniedException", "A1 a plain member cannot use AccountId")
    r, err, _ = call(macc.get_alternate_contact, AlternateContactType="BILLING")
    check(r and r["AlternateContact"]["Name"] == "Bill", "a member reads its own contact without AccountId")

    bacc = boto3.Session(profile_name="beta").client("account")
    _, err, status = call(bacc.get_alternate_contact, AccountId=dev1, AlternateContactType="BILLING")
    check(status == 403, "A1 trusted access is per organization (beta has none)")

    # --- Authentication -----------------------------------------------------------------
    with open(os.path.join(out, "credentials")) as f:
        key_id = [ln.split("=", 1)[1].strip() for ln in f if ln.startswith("aws_access_key_id")][0]
    bad = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key="not-the-secret", region_name="us-east-1")
    bad_sts = bad.client("sts", endpoint_url=endpoint)
    bad_sts_raw = Raw(bad_sts)
    _, err, status = call(bad_sts.get_caller_identity)
    check(status == 403 and err["Code"] == "SignatureDoesNotMatch" and
          bad_sts_raw.headers.get("content-type") == "text/xml",
          f"wrong secret -> SignatureDoesNotMatch 403 (STS, XML) ({status}, {err and err['Code']})")
    bad_org = bad.client("organizations", endpoint_url=endpoint)
    bad_org_raw = Raw(bad_org)
    _, err, status = call(bad_org.list_roots)
    check(err and err["Code"] == "InvalidSignatureException" and
          json.loads(bad_org_raw.body).get("__type") == "InvalidSignatureException",
          f"E1 wrong secret on Organizations -> JSON InvalidSignatureException ({status}, {err and err['Code']})")
    bad_acc = bad.client("account", endpoint_url=endpoint)
    _, err, status = call(bad_acc.get_alternate_contact, AlternateContactType="BILLING")
    check(err and err["Code"] == "InvalidSignatureException" and status == 403,
          f"E1 wrong secret on Account -> InvalidSignatureException ({status})")
    unknown = boto3.Session(aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key="x",
                            region_name="us-east-1").client("organizations", endpoint_url=endpoint)
    _, err, status = call(unknown.list_roots)
    check(err and err["Code"] == "UnrecognizedClientException", f"E1 unknown key -> UnrecognizedClientException ({err})")

    req = urllib.request.Request(endpoint + "/", data=b"{}", method="POST", headers={
        "X-Amz-Target": "AWSOrganizationsV20161128.ListRoots", "Content-Type": "application/x-amz-json-1.1"})
    try:
        urllib.request.urlopen(req, timeout=10)
        check(False, "R1 unsigned Organizations call is refused")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        check(e.code == 403 and body.get("__type") == "MissingAuthenticationTokenException"
              and e.headers.get("x-amzn-RequestId"),
              f"R1 unsigned Organizations call -> 403 MissingAuthenticationTokenException ({e.code})")

    base_sts = boto3.Session(profile_name="base").client("sts")
    _, err, status = call(base_sts.assume_role, RoleSessionName="selftest",
                          RoleArn=f"arn:aws:iam::{web1}:role/OrganizationAccountAccessRole")
    check(status == 403 and err["Code"] == "AccessDenied",
          "S1 AssumeRole refused when the trust policy does not name the caller")
    _, err, status = call(base_sts.assume_role, RoleSessionName="selftest",
                          RoleArn=f"arn:aws:iam::{mgmt}:role/DoesNotExist")
    check(status == 403 and err["Code"] == "AccessDenied", "S1 AssumeRole of a missing role refused")

    check(time.monotonic() < DEADLINE, "finished within the time budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
