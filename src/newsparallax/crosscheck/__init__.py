"""Within a story: what outlets agree on (claims), where they differ (discrepancies), who
copies whom (copy groups, duplicates), and the cited summary built on those."""
