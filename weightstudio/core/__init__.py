"""Qt-free core: model specs, data, the training engine, history and files. Never imports Qt."""
