"""The OOXML package: reading its guard, patching and writing it back."""

#: How much of a part is read, inflated, parsed or compared at a time: memory follows this,
#: not the part (a sheet can be hundreds of MB).
CHUNK = 1 << 20
