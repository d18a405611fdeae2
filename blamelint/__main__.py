from blamelint.cli import run

run()
