# frozen_string_literal: true

module Billing
  # A price list entry: what one seat costs for one monthly billing period, in cents.
  # Plans are values: two plans with the same code and price are the same plan.
  class Plan
    attr_reader :code, :seat_price_cents

    def initialize(code:, seat_price_cents:)
      unless code.is_a?(String) && !code.strip.empty?
        raise ArgumentError, "plan code must be a non-empty string, got #{code.inspect}"
      end
      unless seat_price_cents.is_a?(Integer) && seat_price_cents >= 0
        raise ArgumentError,
              "seat_price_cents must be a non-negative Integer, got #{seat_price_cents.inspect}"
      end

      @code = code.dup.freeze
      @seat_price_cents = seat_price_cents
      freeze
    end

    def ==(other)
      other.is_a?(Plan) && code == other.code && seat_price_cents == other.seat_price_cents
    end
    alias eql? ==

    def hash
      [self.class, code, seat_price_cents].hash
    end

    def to_s
      "#{code} (#{seat_price_cents} cents per seat)"
    end
  end
end
