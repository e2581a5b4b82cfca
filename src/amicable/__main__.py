from amicable.cli import main

main()
