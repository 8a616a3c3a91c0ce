"""Stand-ins for the places temporary credentials come from, served by faultyaws on its own
port, so orgbatch (and botocore, for parity) can be pointed at them with the standard
settings:

* EC2 instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT=<endpoint>), IMDSv2's rules:
  PUT /latest/api/token needs x-aws-ec2-metadata-token-ttl-seconds (1 to 21600, else 400)
  and is refused (403) with X-Forwarded-For; GET /latest/meta-data/iam/security-credentials/
  (the role) and .../<role> (the credentials) need a live token (401 without one) unless
  "v1": true.
* Container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI=<endpoint>/container/creds):
  GET under /container/, with the Authorization header equal to "token" when one is set (401).
* IAM Identity Center (AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC=<endpoint>):
  GET /federation/credentials?role_name=&account_id= with x-amz-sso_bearer_token (401
  UnauthorizedException for a token it does not know), and POST /token (CreateToken with
  grantType refresh_token; 400 InvalidGrantException for an unknown refresh token).

Keys are ASIA + the 12-digit account + a serial, so faultyaws sees the caller's account.

Short lives: a key is refused (ExpiredTokenException) once "lifetime_s" seconds (and a
grace second for requests in flight) have passed since it was issued, while the Expiration
it states is 15 minutes after "lifetime_s". A client
that refreshes as botocore's windows say (from 15 minutes before Expiration) therefore
refreshes every "lifetime_s" seconds and is never refused for long; a client that waits for
the stated Expiration fails. That compresses a credential's life into a test's seconds.

Config, under "credentials" (every key optional):
    {"account": "<12 digits>",            # whose keys IMDS and the container hand out (default: org 0's management)
     "lifetime_s": 3600,
     "stable": false,                      # the same key for an account every time (parity tests)
     "imds": {"role": "orgbatch-runner", "v1": false},
     "container": {"token": "..."},
     "sso": {"tokens": ["access-token"], "refresh_tokens": ["refresh-token"]}}
"""
import json
import time
import uuid
from urllib.parse import parse_qsl

STATED_MARGIN_S = 15 * 60
GRACE_S = 1.0


class CredentialStandIns:
    def __init__(self, config: dict, default_account: str, stats: dict):
        self.config = config
        self.account = config.get("account", default_account)
        self.lifetime = float(config.get("lifetime_s", 3600))
        self.stats = stats
        self.issued = {}  # access key id -> monotonic time after which it is refused
        self.imds_tokens = {}  # token -> monotonic expiry
        self.sso_tokens = set(config.get("sso", {}).get("tokens", []))
        self.refresh_tokens = set(config.get("sso", {}).get("refresh_tokens", []))
        self.serial = 0
        for name in ("imds_token", "imds_credentials", "container_credentials", "sso_role_credentials",
                     "sso_refresh", "expired_rejections"):
            stats.setdefault(name, 0)

    # -- keys ---------------------------------------------------------------------------
    def issue(self, account: str):
        """A fresh key for the account: (key id, secret, token, stated expiration)."""
        if not self.config.get("stable", False):
            self.serial += 1
        key = f"ASIA{account}{self.serial:06d}"
        self.issued[key] = time.monotonic() + self.lifetime + GRACE_S
        stated = time.time() + self.lifetime + STATED_MARGIN_S
        return key, f"standin-secret-{account}-{self.serial}", f"standin-token-{account}-{self.serial}", stated

    def expired(self, access_key: str) -> bool:
        limit = self.issued.get(access_key)
        if limit is not None and time.monotonic() > limit:
            self.stats["expired_rejections"] += 1
            return True
        return False

    # -- requests -----------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict, body: bytes):
        """(status, headers, body) for a credential request, or None when it is not one."""
        path, _, query = target.partition("?")
        if path == "/latest/api/token":
            return self.imds_token(method, headers)
        if path.startswith("/latest/meta-data/iam/security-credentials/"):
            return self.imds_credentials(path, headers)
        if path.startswith("/container/"):
            return self.container(headers)
        if path == "/federation/credentials" and method == "GET":
            return self.sso_role_credentials(dict(parse_qsl(query)), headers)
        if path == "/token" and method == "POST":
            return self.sso_create_token(body)
        return None

    def imds_token(self, method, headers):
        if method != "PUT":
            return 405, [], b""
        if "x-forwarded-for" in headers:
            return 403, [], b""
        try:
            ttl = int(headers.get("x-aws-ec2-metadata-token-ttl-seconds", ""))
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= 21600:
            return 400, [], b""
        token = uuid.uuid4().hex
        self.imds_tokens[token] = time.monotonic() + ttl
        self.stats["imds_token"] += 1
        return 200, [("Content-Type", "text/plain"), ("x-aws-ec2-metadata-token-ttl-seconds", str(ttl))], token.encode()

    def imds_credentials(self, path, headers):
        spec = self.config.get("imds", {})
        token = headers.get("x-aws-ec2-metadata-token")
        live = token is not None and self.imds_tokens.get(token, 0) > time.monotonic()
        if not live and (token is not None or not spec.get("v1", False)):
            return 401, [("Content-Type", "text/plain")], b"Unauthorized"
        role = spec.get("role", "orgbatch-runner")
        name = path[len("/latest/meta-data/iam/security-credentials/"):]
        if name == "":
            return 200, [("Content-Type", "text/plain")], role.encode()
        if name != role:
            return 404, [("Content-Type", "text/plain")], b"Not Found"
        self.stats["imds_credentials"] += 1
        key, secret, session, stated = self.issue(self.account)
        document = {"Code": "Success", "LastUpdated": iso(time.time()), "Type": "AWS-HMAC", "AccessKeyId": key,
                    "SecretAccessKey": secret, "Token": session, "Expiration": iso(stated)}
        return 200, [("Content-Type", "text/plain")], json.dumps(document).encode()

    def container(self, headers):
        expected = self.config.get("container", {}).get("token")
        if expected is not None and headers.get("authorization") != expected:
            return 401, [("Content-Type", "application/json")], json.dumps({"message": "invalid token"}).encode()
        self.stats["container_credentials"] += 1
        key, secret, session, stated = self.issue(self.account)
        document = {"AccessKeyId": key, "SecretAccessKey": secret, "Token": session, "Expiration": iso(stated),
                    "RoleArn": f"arn:aws:iam::{self.account}:role/task"}
        return 200, [("Content-Type", "application/json")], json.dumps(document).encode()

    def sso_role_credentials(self, query, headers):
        if headers.get("x-amz-sso_bearer_token") not in self.sso_tokens:
            return rest_error(401, "UnauthorizedException", "Session token not found or invalid")
        account = query.get("account_id", "")
        if len(account) != 12 or not account.isdigit() or not query.get("role_name"):
            return rest_error(400, "InvalidRequestException", "account_id and role_name are required")
        self.stats["sso_role_credentials"] += 1
        key, secret, session, stated = self.issue(account)
        document = {"roleCredentials": {"accessKeyId": key, "secretAccessKey": secret, "sessionToken": session,
                                        "expiration": int(stated * 1000)}}
        return 200, [("Content-Type", "application/json")], json.dumps(document).encode()

    def sso_create_token(self, body):
        try:
            request = json.loads(body)
        except ValueError:
            request = {}
        if request.get("grantType") != "refresh_token" or request.get("refreshToken") not in self.refresh_tokens \
                or not request.get("clientId") or not request.get("clientSecret"):
            return rest_error(400, "InvalidGrantException", "Invalid grant provided", oauth="invalid_grant")
        self.stats["sso_refresh"] += 1
        self.refresh_tokens.discard(request["refreshToken"])
        access, refresh = f"sso-access-{uuid.uuid4().hex[:8]}", f"sso-refresh-{uuid.uuid4().hex[:8]}"
        self.sso_tokens.add(access)
        self.refresh_tokens.add(refresh)
        document = {"accessToken": access, "expiresIn": 28800, "refreshToken": refresh, "tokenType": "Bearer"}
        return 200, [("Content-Type", "application/json")], json.dumps(document).encode()


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def rest_error(status, code, message, oauth=None):
    body = {"error": oauth, "error_description": message} if oauth else {"message": message}
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], json.dumps(body).encode()
