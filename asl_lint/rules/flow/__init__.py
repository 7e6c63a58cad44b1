"""ASL2xx: transitions and the state graph of each scope."""
