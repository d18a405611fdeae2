from blamelint.cli import main

main()
