from anfrage.cli.app import main

main()
