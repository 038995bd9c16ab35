"""HTTP controllers: thin, they parse, call one service and render."""
