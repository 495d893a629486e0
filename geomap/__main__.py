from geomap.cli.entry import main

main()
