"""Feed scanning: fetching feeds safely, reading every feed format the boards use, spotting
risky ad wording, and the scan pipeline and scheduler built on them."""
