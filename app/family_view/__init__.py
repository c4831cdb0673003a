"""The family page: what a guardian sees of each linked learner, composed from several
capabilities.
"""
