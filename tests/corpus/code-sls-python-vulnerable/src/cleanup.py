import os
import subprocess

RETENTION_DAYS = os.environ.get("RETENTION_DAYS", "7")


def handler(event, context):
    # Server-side values only: the schedule's event carries no attacker data.
    subprocess.run(f"find /tmp -mtime +{RETENTION_DAYS} -delete", shell=True)
    os.system("rm -rf /tmp/cache-" + event["time"])
