"""Segments of customers: risk x profit cells, the store's named segments, and their profiles."""

from oneclick.segments.assign import CELLS, SegmentAssignment, assign_segments, cell_name
from oneclick.segments.conditions import Condition, Quantile, Thresholds
from oneclick.segments.profile import SegmentProfiles, cohens_d, profile_segments
from oneclick.segments.rules import SegmentRule, SegmentScheme, load_segment_scheme

__all__ = [
    "CELLS",
    "Condition",
    "Quantile",
    "SegmentAssignment",
    "SegmentProfiles",
    "SegmentRule",
    "SegmentScheme",
    "Thresholds",
    "assign_segments",
    "cell_name",
    "cohens_d",
    "load_segment_scheme",
    "profile_segments",
]
