"""What an import's `--events json` lines on stderr say: the error codes and the GATHERING
counts, in order."""
import json


def codes_and_gathered(stderr):
    codes, gathered = [], []
    for line in stderr.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        for item in event.get("events", []) if isinstance(event, dict) else []:
            if item.get("status") == "ERROR":
                codes.append(item.get("value"))
            elif item.get("event_type") == "GATHERING":
                gathered.append(item.get("value"))
    return codes, gathered
