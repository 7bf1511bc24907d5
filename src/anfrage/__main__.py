from anfrage.cli.entry import main

main()
