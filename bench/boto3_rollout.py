#!/usr/bin/env python3
"""The script users write today, for the benchmark: boto3, a thread pool, one client per
profile and service. Each organization's member accounts are listed first (DescribeOrganization
for the management account, then ListAccounts page by page: ACTIVE accounts but the
management account), as orgbatch lists them; then PutAlternateContact for every (account,
contact type). Retries as configured.

    AWS_CONFIG_FILE=... python3 boto3_rollout.py WORLD.json --workers 32 --mode standard|adaptive

WORLD.json gives the profiles only. Prints one JSON line: calls, failures, retries seen
(throttled answers among them).
"""
import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

TYPES = ("SECURITY", "BILLING", "OPERATIONS")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--mode", default="standard")
    args = parser.parse_args()
    world = json.load(open(args.world))
    config = Config(retries={"mode": args.mode}, max_pool_connections=args.workers)
    profiles = [org["profile"] for org in world["orgs"]]
    sessions = {profile: boto3.Session(profile_name=profile) for profile in profiles}
    clients = {profile: sessions[profile].client("account", config=config) for profile in profiles}
    failures = []
    retries = 0

    def members(profile):
        try:
            organizations = sessions[profile].client("organizations", config=config)
            management = organizations.describe_organization()["Organization"]["MasterAccountId"]
            found = []
            for page in organizations.get_paginator("list_accounts").paginate():
                found += [a["Id"] for a in page["Accounts"] if a["Status"] == "ACTIVE" and a["Id"] != management]
            organizations.close()  # its connections are not needed again
            return profile, found, None
        except ClientError as error:
            return profile, [], error.response["Error"]["Code"]
        except Exception as error:  # connection errors after retries
            return profile, [], type(error).__name__

    def put(item):
        profile, account, kind = item
        try:
            response = clients[profile].put_alternate_contact(
                AccountId=account, AlternateContactType=kind, Name=f"N {kind}", Title="T",
                EmailAddress="x@example.com", PhoneNumber="+1 1")
            return response["ResponseMetadata"].get("RetryAttempts", 0), None
        except ClientError as error:
            return error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0), error.response["Error"]["Code"]
        except Exception as error:  # connection errors after retries
            return 0, type(error).__name__

    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        work = []
        for profile, accounts, error in pool.map(members, profiles):
            if error:
                failures.append(error)
            work += [(profile, account, kind) for account in accounts for kind in TYPES]
        for attempts, error in pool.map(put, work):
            retries += attempts
            if error:
                failures.append(error)
    print(json.dumps({"calls": len(work), "failures": len(failures), "retries": retries,
                      "failure_codes": sorted(set(failures))}))


if __name__ == "__main__":
    sys.exit(main())
