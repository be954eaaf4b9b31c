"""Ralph's LRS API (the app `ralph runserver` serves) on the file-system backend, for the
LRS tests (tests/lrs.rs): `python ralph_server.py HOST PORT`, with RALPH_APP_DIR (auth.json),
RALPH_RUNSERVER_BACKEND=fs and RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH set.

One change to Ralph 5.1.0: its file-system LRS backend creates its statements file on the
first POST and refuses every later write ("already exists and overwrite is not allowed",
HTTP 500 "Statements bulk indexation failed"), so a second batch could never be stored. Here
it appends instead. Served in this process (no reloader), so stopping it stops the server.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
