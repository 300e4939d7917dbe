"""Operations: crash recovery at start, backup and restore of every store (SPEC §13,
R-REL-1). May import the stores and the stage packages' path helpers; nothing imports ops
except the application object and the CLI."""
