"""What the course is: where its files live (`paths`) and how a course notebook is laid out (`layout`).

The bottom layer: it imports nothing else of the `grading` package, and every other part may import it.
"""
