from geomap.cli.main import main

main()
