"""The screens of the app: the main screen and its modals."""
