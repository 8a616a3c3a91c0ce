#!/usr/bin/env python3
"""Read organizations back with boto3, an independent client, for orgbatch's end-to-end tests.

    AWS_CONFIG_FILE=... AWS_SHARED_CREDENTIALS_FILE=... python3 readback.py PROFILE [PROFILE...]

Prints one JSON object: for each profile (an organization's management account), the
trusted-access service principals, the delegated administrators per service principal, and
every ACTIVE account's alternate contacts ({"BILLING": {...} or null, ...}). The management
account's own contacts are read without AccountId, as AWS requires.
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

TYPES = ("BILLING", "OPERATIONS", "SECURITY")


def read(profile: str) -> dict:
    session = boto3.Session(profile_name=profile)
    orgs = session.client("organizations")
    account_api = session.client("account")
    me = session.client("sts").get_caller_identity()["Account"]
    accounts = []
    for page in orgs.get_paginator("list_accounts").paginate():
        accounts.extend(page["Accounts"])
    principals = sorted(p["ServicePrincipal"] for p in orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"])
    admins = {}
    for principal in principals:
        found = orgs.list_delegated_administrators(ServicePrincipal=principal)["DelegatedAdministrators"]
        admins[principal] = sorted(a["Id"] for a in found)
    contacts = {}
    for account in accounts:
        if account.get("State", account.get("Status")) != "ACTIVE":
            continue
        extra = {} if account["Id"] == me else {"AccountId": account["Id"]}
        values = {}
        for kind in TYPES:
            try:
                c = account_api.get_alternate_contact(AlternateContactType=kind, **extra)["AlternateContact"]
                values[kind] = {"name": c["Name"], "title": c["Title"], "email": c["EmailAddress"], "phone": c["PhoneNumber"]}
            except ClientError as error:
                code = error.response["Error"]["Code"]
                values[kind] = None if code == "ResourceNotFoundException" else {"error": code}
        contacts[account["Id"]] = values
    return {"trustedAccess": principals, "delegatedAdministrators": admins, "contacts": contacts}


if __name__ == "__main__":
    print(json.dumps({profile: read(profile) for profile in sys.argv[1:]}, sort_keys=True))
