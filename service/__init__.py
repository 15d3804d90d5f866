"""Clinical code suggestion service: ranked ICD-10-CM, ICD-10-PCS and CPT codes for a note."""

__version__ = "0.1.0"
