"""Run the API: ``python -m directory data/customers.csv [--host H] [--port P]``."""

from __future__ import annotations

import argparse

from directory.parser import load_customers
from directory.server import make_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m directory", description=__doc__)
    parser.add_argument("export", help="a customers export, .csv or .json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    customers = load_customers(args.export)
    server = make_server(customers, args.host, args.port)
    host, port = server.server_address[:2]
    print(f"Serving {len(customers)} customers on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
