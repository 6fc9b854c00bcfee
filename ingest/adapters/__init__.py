"""Platform adapters: one interface (see base.Adapter), one class per platform."""

from ingest.adapters.base import Adapter
from ingest.adapters.furnishedfinder import FurnishedFinderAdapter
from ingest.adapters.leasebreak import LeasebreakAdapter
from ingest.adapters.renthop import RentHopAdapter
from ingest.adapters.roomies import RoomiesAdapter
from ingest.adapters.spareroom import SpareRoomAdapter

ADAPTERS = {
    cls.platform: cls
    for cls in (SpareRoomAdapter, RoomiesAdapter, LeasebreakAdapter, RentHopAdapter, FurnishedFinderAdapter)
}

__all__ = ["ADAPTERS", "Adapter"]
