# frozen_string_literal: true

module Billing
  # Base class of the errors this library raises on purpose.
  class Error < StandardError; end

  # A change or cancellation that does not fit the subscription's history: dated before the
  # subscription starts or before an event already recorded, or recorded after cancelling.
  class InvalidChange < Error; end
end
