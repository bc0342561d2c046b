from newsparallax.cli import main

raise SystemExit(main())
