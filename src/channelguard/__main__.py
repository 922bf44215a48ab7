from channelguard.cli import main

main()
