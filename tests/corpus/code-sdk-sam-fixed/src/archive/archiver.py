def archive_all(client, bucket):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sum(len(p.get("Contents", [])) for p in pages)
