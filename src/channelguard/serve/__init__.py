"""The HTTP service: `channelguard serve --model MODEL.yaml`.

config = ServiceConfig.load(config_file=None, model="examples/bank.yaml")
service = Service(config).start()   # loads the model, guard, playbooks, database
app = create_app(service)           # FastAPI; run with uvicorn
"""

from channelguard.serve.app import create_app
from channelguard.serve.config import ServiceConfig
from channelguard.serve.service import Service

__all__ = ["Service", "ServiceConfig", "create_app"]
