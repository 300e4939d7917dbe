from handistat.cli import main

main()
