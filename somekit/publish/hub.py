"""Upload a staged Hub layout with huggingface_hub (the only code that talks to the Hub)."""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from ..errors import PublishError


def upload(folder: Path, repo_id: str, token: str, version: str, private: bool = False) -> str:
    """Create the dataset repo if needed and upload the folder as one commit; returns its URL.
    The token goes to HfApi only: never into messages, logs or the card."""
    api = HfApi(token=token)
    try:
        repo = api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
        api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="dataset",
                          commit_message=f"somekit publish {version}")
    except HfHubHTTPError as exc:
        raise PublishError(f"upload to {repo_id} failed: {str(exc).replace(token, '***')}") from None
    return str(getattr(repo, "url", repo))
