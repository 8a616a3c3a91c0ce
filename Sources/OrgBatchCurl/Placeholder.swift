import OrgBatch
