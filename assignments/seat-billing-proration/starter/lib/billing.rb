# frozen_string_literal: true

require "date"

# Per-seat subscription billing for Rotawise: what we invoice a customer, and when.
module Billing
end

require_relative "billing/errors"
require_relative "billing/plan"
require_relative "billing/invoice"
require_relative "billing/subscription"
